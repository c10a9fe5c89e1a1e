// node-postgres + pg-pool driven into connect timeout, query read timeout,
// statement timeout, lock timeout, deadlock, serialization failure and an
// idle-in-transaction kill; logged with pino (JSON with err).
'use strict';
const pino = require('pino');
const { Pool, Client } = require('pg');
const { Sink, ver, PG, sleep, silentServer } = require('./caplib');

const LIB = `pg ${ver('pg')} + pg-pool ${ver('pg-pool')} / pino ${ver('pino')}`;
const sink = new Sink(__filename, LIB);
const log = pino({ level: 'debug', base: { pid: process.pid, hostname: 'orders-api-7c9f' }, name: 'orders-api' }, sink.stream(LIB));
const log2 = pino({ level: 'debug', formatters: { level: (l) => ({ level: l }) }, timestamp: pino.stdTimeFunctions.isoTime }, sink.stream(LIB));

async function main() {
  sink.label('skip');
  const setup = new Client(PG); await setup.connect();
  await setup.query('drop table if exists np_accounts; create table np_accounts(id int primary key, balance int); insert into np_accounts values (1,100),(2,100)');
  await setup.end();

  // 1. pool: connect timeout while the only client is checked out; pg-pool's own log lines
  sink.label('benign');
  const pool = new Pool({ ...PG, max: 1, connectionTimeoutMillis: 500, idleTimeoutMillis: 1000,
    log: (msg, ...rest) => log.debug({ component: 'pg-pool' }, [msg, ...rest].map(String).join(' ')) });
  pool.on('error', (err) => log.error({ err }, 'idle client error'));
  log.info({ max: 1, connectionTimeoutMillis: 500, idleTimeoutMillis: 1000 }, 'pg pool created');
  const held = await pool.connect();
  await held.query('select 1');
  sink.label('pool_exhaustion', ['timeout']);
  for (const l of [log, log2]) {
    try { await pool.query('select 1'); } catch (err) { l.error({ err }, 'failed to load order'); }
  }
  sink.label('benign');
  held.release();
  await pool.query('select 1');
  log.info({ totalCount: pool.totalCount, idleCount: pool.idleCount, waitingCount: pool.waitingCount }, 'pool stats');
  await sleep(1200);
  await pool.end();

  // 2. query read timeout (client-side query_timeout)
  sink.label('timeout');
  const c = new Client({ ...PG, query_timeout: 300 });
  await c.connect();
  for (const l of [log, log2]) {
    try { await c.query('select pg_sleep(1)'); } catch (err) { l.error({ err }, 'query failed'); }
    await sleep(800);
  }
  await c.end().catch(() => {});

  // 3. statement timeout (server-side)
  const c2 = new Client({ ...PG, statement_timeout: 200, lock_timeout: 100 });
  await c2.connect();
  sink.label('benign');
  log2.debug({ statement_timeout: 200, lock_timeout: 100, query_timeout: 300 }, 'database client configured');
  sink.label('timeout');
  for (const l of [log, log2]) {
    try { await c2.query('select pg_sleep(1)'); } catch (err) { l.error({ err }, 'query failed'); }
  }
  // 4. lock timeout
  sink.label('skip');
  const h = new Client(PG); await h.connect();
  await h.query('begin'); await h.query('select * from np_accounts where id = 1 for update');
  sink.label('deadlock');
  try { await c2.query('update np_accounts set balance = 0 where id = 1'); } catch (err) { log.error({ err }, 'could not update account'); }
  sink.label('skip');
  await h.query('rollback');
  await c2.end();

  // 5. deadlock and serialization failure
  const a = new Client(PG); const b = new Client(PG); await a.connect(); await b.connect();
  await a.query('begin'); await b.query('begin');
  await a.query('update np_accounts set balance = balance + 1 where id = 1');
  await b.query('update np_accounts set balance = balance + 1 where id = 2');
  const r = await Promise.allSettled([a.query('update np_accounts set balance = 1 where id = 2'), b.query('update np_accounts set balance = 1 where id = 1')]);
  sink.label('deadlock');
  for (const x of r) if (x.status === 'rejected') { log.error({ err: x.reason }, 'transfer failed'); log2.error({ err: x.reason }, 'transfer failed'); }
  sink.label('skip');
  await a.query('rollback'); await b.query('rollback');
  await a.query('begin isolation level repeatable read'); await b.query('begin isolation level repeatable read');
  await a.query('select * from np_accounts'); await b.query('select * from np_accounts');
  await a.query('update np_accounts set balance = 7 where id = 1');
  const late = b.query('update np_accounts set balance = 8 where id = 1').then(() => null, (e) => e);
  await sleep(100); await a.query('commit');
  sink.label('concurrency_conflict');
  const err = await late; if (err) { log.error({ err }, 'append failed'); log2.warn({ err, attempt: 1 }, 'append failed'); }
  sink.label('skip');
  await b.query('rollback'); await a.end(); await b.end();

  // 6. idle-in-transaction kill reported on an idle pooled client
  sink.label('timeout');
  const p2 = new Pool({ ...PG, max: 2 });
  p2.on('error', (err) => log.error({ err }, 'unexpected error on idle client'));
  const ic = await p2.connect();
  ic.on('error', (err) => { if (err.code) log2.error({ err }, 'database connection lost'); });
  await ic.query("set idle_in_transaction_session_timeout = '300ms'"); await ic.query('begin');
  await sleep(900);
  try { await ic.query('select 1'); } catch (err) { log.error({ err }, 'query failed'); }
  ic.release(true);
  await p2.end();

  // 7. connect timeout against a server that never answers the startup packet
  const ss = await silentServer();
  const p3 = new Pool({ host: '127.0.0.1', port: ss.address().port, user: 'postgres', connectionTimeoutMillis: 400 });
  sink.label('timeout');
  for (const l of [log, log2]) {
    try { await p3.query('select 1'); } catch (err) { l.error({ err }, 'database unavailable'); }
  }
  await p3.end(); ss.closeAll();
  sink.close();
  process.exit(0); // the silent listener's sockets keep the loop alive
}
main().catch((e) => { console.error(e); process.exit(1); });
