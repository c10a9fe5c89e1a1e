// Redis 7.0.15 (Debian) on 127.0.0.1:36379, bullmq + pino from npm: a job whose processor blocks the event loop
// longer than lockDuration, so the lock expires and the stalled-job checker of a second worker fails it.
const { Queue, Worker, QueueEvents } = require('bullmq');
const log = require('pino')({ name: 'report-worker' });
const connection = { host: '127.0.0.1', port: 36379 };
(async () => {
  const q = new Queue('reports', { connection });
  await q.obliterate({ force: true }).catch(() => {});
  const events = new QueueEvents('reports', { connection });
  events.on('stalled', ({ jobId }) => log.warn({ jobId }, 'job stalled'));
  events.on('failed', ({ jobId, failedReason }) => log.error({ jobId, failedReason }, 'job failed'));
  const opts = { connection, lockDuration: 1000, stalledInterval: 1000, maxStalledCount: 0 };
  const blocking = new Worker('reports', async (job) => { const t = Date.now(); while (Date.now() - t < 6000) {} return 'done'; }, opts);
  blocking.on('error', (err) => log.error({ err }, 'worker error'));
  blocking.on('failed', (job, err) => log.error({ jobId: job && job.id, err }, 'job failed in worker'));
  await q.add('monthly', { month: '2026-11' });
  setTimeout(() => {
    const checker = new Worker('reports', async () => 'ok', opts);
    checker.on('error', (err) => log.error({ err }, 'worker error'));
    checker.on('failed', (job, err) => log.error({ jobId: job && job.id, err }, 'job failed in worker'));
  }, 300);
  setTimeout(() => process.exit(0), 15000);
})();
