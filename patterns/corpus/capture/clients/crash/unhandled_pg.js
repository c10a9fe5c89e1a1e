// an awaited-nowhere pool query whose checkout times out: unhandled rejection kills the process
const { Pool } = require('../node_modules/pg');
const pool = new Pool({ host: '127.0.0.1', port: 55433, user: 'postgres', database: 'cap', max: 1, connectionTimeoutMillis: 300 });
(async () => {
  await pool.connect();              // never released
  pool.query('select * from np_accounts');   // no await, no catch
})();
