// ioredis (Command timed out, OOM reply, connect timeout, unhandled error
// event) and axios (timeout of Nms exceeded) against local servers; pino.
'use strict';
const pino = require('pino');
const Redis = require('ioredis');
const axios = require('axios');
const { Sink, ver, sleep, slowServer, silentServer } = require('./caplib');

const sink = new Sink(__filename, 'ioredis');
const RPORT = 56380;

async function redisPart() {
  const LIB = `ioredis ${ver('ioredis')} + redis-server 7.0.15 / pino ${ver('pino')}`;
  const log = pino({ level: 'debug', name: 'cart-cache' }, sink.stream(LIB));
  const log2 = pino({ level: 'debug', formatters: { level: (l) => ({ level: l.toUpperCase() }) }, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'message' }, sink.stream(LIB));
  sink.label('benign');
  const r = new Redis({ port: RPORT, host: '127.0.0.1', commandTimeout: 200, maxRetriesPerRequest: 1, lazyConnect: true });
  r.on('error', (err) => log.error({ err }, 'redis error'));
  await r.connect();
  log.info({ commandTimeout: 200, maxRetriesPerRequest: 1 }, 'redis connected');
  log2.info({ maxmemory: await r.config('GET', 'maxmemory') }, 'redis config');
  // command timeout: a slow server-side script
  sink.label('timeout');
  for (const l of [log, log2]) {
    try { await r.brpoplpush('jobs:pending', 'jobs:active', 1); }
    catch (err) { l.error({ err }, 'cache read failed'); }
    await sleep(900);
  }
  // OOM reply
  sink.label('skip');
  const admin = new Redis({ port: RPORT, host: '127.0.0.1' });
  await admin.config('SET', 'maxmemory-policy', 'noeviction');
  const big = 'x'.repeat(20000);
  sink.label('memory_pressure');
  for (let i = 0; i < 40; i++) await admin.set('filler:' + i, big);
  const used = +/used_memory:(\d+)/.exec(await admin.info('memory'))[1];
  await admin.config('SET', 'maxmemory', String(used - 200000));
  for (const l of [log, log2]) {
    try { await r.set('cart:42', '{"items":3}'); } catch (err) { l.error({ err }, 'failed to store cart'); }
  }
  sink.label('skip');
  await admin.flushall(); await admin.config('SET', 'maxmemory', '0');
  sink.label('benign');
  log2.info({ maxmemory: await admin.config('GET', 'maxmemory'), policy: await admin.config('GET', 'maxmemory-policy') }, 'redis config');
  admin.disconnect(); r.disconnect();
  // connect timeouts against a listener whose accept backlog is full (loopback)
  const { spawn, spawnSync } = require('child_process');
  const hole = spawn(__dirname + '/venv/bin/python', [__dirname + '/slow_server.py', '--black-hole'], { cwd: __dirname });
  const port = await new Promise((res) => hole.stdout.once('data', (d) => res(+String(d).trim())));
  sink.label('timeout');
  const r2 = new Redis({ port, host: '127.0.0.1', connectTimeout: 400, maxRetriesPerRequest: 1, retryStrategy: (n) => (n > 1 ? null : 100) });
  r2.on('error', (err) => log.error({ err }, 'redis connection error'));
  try { await r2.get('session:1'); } catch (err) { if (/ETIMEDOUT|timed out/.test(err.message)) log2.error({ err }, 'cache read failed'); }
  r2.disconnect();
  const child = spawnSync(process.execPath, ['ioredis_unhandled.js', String(port)], { cwd: __dirname + '/crash', encoding: 'utf8' });
  for (const l of child.stderr.split('\n')) if (/Unhandled error event/.test(l)) sink.add(l, { library: `ioredis ${ver('ioredis')} (its own console output)`, key: 'unhandled', cap: 1 });
  hole.stdin.end(); hole.kill();
  sink.label('skip');
  // connect timeout against a listener that never answers; and the unhandled error event
}

async function axiosPart() {
  const LIB = `axios ${ver('axios')} / pino ${ver('pino')}`;
  const log = pino({ level: 'debug', name: 'checkout', serializers: { err: pino.stdSerializers.errWithCause } }, sink.stream(LIB));
  const log2 = pino({ level: 'debug', timestamp: pino.stdTimeFunctions.isoTime }, sink.stream(LIB));
  const srv = await slowServer(); const base = `http://127.0.0.1:${srv.address().port}`;
  sink.label('benign');
  const api = axios.create({ baseURL: base, timeout: 300 });
  const ok = await api.get('/ok');
  log.info({ status: ok.status, timeout: 300 }, 'payment gateway reachable');
  sink.label('timeout');
  try { await api.get('/slow=2000'); } catch (err) {
    // services usually log the error object; axios errors carry config/request, so pick the usual fields
    log.error({ err }, 'payment gateway call failed');
    log2.error({ err }, 'payment gateway call failed');
  }
  try { await axios.get(base + '/slow=2000', { timeout: 250, timeoutErrorMessage: undefined, transitional: { clarifyTimeoutError: true } }); } catch (err) {
    log.error({ err: { type: err.name, message: err.message, code: err.code, stack: err.stack } }, 'shipping quote failed');
  }
  sink.label('skip');
  await sleep(2100); srv.close();
}

(async () => { await redisPart(); await axiosPart(); sink.close(); })().catch((e) => { console.error(e); process.exit(1); });
