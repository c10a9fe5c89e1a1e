// Captures real timeout errors from Node clients against loopback servers
// (slow HTTP 18081, silent TCP 18083, PostgreSQL 15 on 55471). Logs with pino.
const fs = require('fs');
const pino = require('pino');
const log = pino({ name: 'ledger-api' }, pino.destination({ dest: 'pino.out', sync: true }));
const axios = require('axios');
const pg = require('pg');
const knex = require('knex');
const { Sequelize } = require('sequelize');
const mongoose = require('mongoose');
const Redis = require('ioredis');
const raw = fs.createWriteStream('console.out');
async function run(name, fn) {
  try { await fn(); log.info(`${name} ok`); }
  catch (err) {
    log.error({ err }, `${name} failed`);
    raw.write(`${name}: ${err.stack}\n----\n`);
    console.log(name, err.name, err.code, JSON.stringify(err.message).slice(0, 300));
  }
}
(async () => {
  await run('axios', () => axios.get('http://127.0.0.1:18081/v1/balance', { timeout: 2000 }));
  await run('axios_clarify', () => axios.get('http://127.0.0.1:18081/v1/balance', { timeout: 1500, transitional: { clarifyTimeoutError: true } }));
  await run('axios_signal', () => axios.get('http://127.0.0.1:18081/v1/balance', { signal: AbortSignal.timeout(1000) }));
  await run('fetch_signal', () => fetch('http://127.0.0.1:18081/v1/balance', { signal: AbortSignal.timeout(1000) }));
  const cfg = { host: '127.0.0.1', port: 55471, user: 'postgres', database: 'postgres' };
  await run('pg_query_timeout', async () => { const c = new pg.Client({ ...cfg, query_timeout: 500 }); await c.connect(); try { await c.query('SELECT pg_sleep(2)'); } finally { c.end().catch(() => {}); } });
  await run('pg_statement_timeout', async () => { const c = new pg.Client({ ...cfg, statement_timeout: 300 }); await c.connect(); try { await c.query('SELECT pg_sleep(2)'); } finally { await c.end(); } });
  await run('pg_conn_timeout', async () => { const c = new pg.Client({ ...cfg, port: 18083, connectionTimeoutMillis: 500 }); await c.connect(); });
  await run('knex_timeout', async () => { const k = knex({ client: 'pg', connection: cfg }); try { await k.raw('SELECT pg_sleep(3)').timeout(1000); } finally { await k.destroy(); } });
  await run('knex_timeout_cancel', async () => { const k = knex({ client: 'pg', connection: cfg }); try { await k('orders').select('id').whereRaw('pg_sleep(3) IS NOT NULL OR true').timeout(1000, { cancel: true }); await k.raw('SELECT pg_sleep(3)').timeout(800, { cancel: true }); } finally { await k.destroy(); } });
  await run('sequelize_stmt', async () => { const s = new Sequelize('postgres', 'postgres', null, { host: '127.0.0.1', port: 55471, dialect: 'postgres', logging: false, dialectOptions: { statement_timeout: 300 } }); try { await s.query('SELECT pg_sleep(2)'); } finally { await s.close(); } });
  await run('sequelize_query_timeout', async () => { const s = new Sequelize('postgres', 'postgres', null, { host: '127.0.0.1', port: 55471, dialect: 'postgres', logging: false, dialectOptions: { query_timeout: 500 } }); try { await s.query('SELECT pg_sleep(2)'); } finally { s.close().catch(() => {}); } });
  await run('mongoose_buffer', async () => { mongoose.set('bufferTimeoutMS', 2000); const M = mongoose.model('Order', new mongoose.Schema({ total: Number })); await M.findOne({ total: 1 }); });
  await run('mongoose_buffer_insert', async () => { const M = mongoose.model('Order'); await M.create({ total: 1 }); });
  await run('ioredis', async () => { const r = new Redis({ host: '127.0.0.1', port: 18083, commandTimeout: 1000, enableReadyCheck: false, maxRetriesPerRequest: 0 }); try { await r.get('balance:42'); } finally { r.disconnect(); } });
  process.exit(0);
})();
