// More Node captures: undici headers/body timeouts, MongoDB server selection timeout,
// Sequelize query logging of a SET statement_timeout (benign). Loopback servers only.
const pino = require('pino');
const log = pino({ name: 'ledger-api' });
const { request } = require('undici');
const mongoose = require('mongoose');
const { Sequelize } = require('sequelize');
async function run(name, fn) {
  try { await fn(); log.info(`${name} ok`); }
  catch (err) { log.error({ err }, `${name} failed`); console.error(`${name}: ${err.stack}`); }
}
(async () => {
  await run('undici_headers', () => request('http://127.0.0.1:18081/v1/balance', { headersTimeout: 1000 }));
  await run('undici_body', async () => { const r = await request('http://127.0.0.1:18084/export.csv', { bodyTimeout: 1000 }); await r.body.text(); });
  await run('fetch_headers', async () => { const { fetch, Agent } = require('undici'); await fetch('http://127.0.0.1:18081/v1/balance', { dispatcher: new Agent({ headersTimeout: 1000 }) }); });
  await run('mongo_select', () => mongoose.createConnection('mongodb://127.0.0.1:18083/shop', { serverSelectionTimeoutMS: 1500 }).asPromise());
  const s = new Sequelize('postgres', 'postgres', null, { host: '127.0.0.1', port: 55471, dialect: 'postgres', logging: console.log });
  await run('sequelize_set', () => s.query("SET statement_timeout = '30s'"));
  await s.close();
  process.exit(0);
})();
