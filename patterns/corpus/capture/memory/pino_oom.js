// pino (JSON) logging of real allocation failures: a 4 GiB ArrayBuffer under `ulimit -v`, and
// ioredis writing to the full Redis of redis_oom.sh (run via pino_oom.sh).
const pino = require('pino');
const log = pino({ name: 'ledger-projector' });
const mode = process.argv[2];
if (mode === 'abuf') {
  try { new ArrayBuffer(4 * 1024 ** 3); } catch (err) { log.fatal(err); log.error({ err }, 'snapshot buffer allocation failed'); }
} else if (mode === 'redis') {
  const Redis = require('ioredis');
  const r = new Redis({ port: 16399, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  r.set('snapshot:account-42', 'x'.repeat(64)).catch((err) => { log.error({ err }, 'cache write failed'); }).finally(() => r.quit());
}
