// RabbitMQ 3.10.8 (consumer_timeout = 15000), amqplib + pino from npm (versions in the corpus source):
// consumer never acks; channel is closed by the server; pino logs the error.
const amqp = require('amqplib');
const log = require('pino')({ name: 'shipping-worker' });
(async () => {
  const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:35672');
  conn.on('error', (err) => log.error({ err }, 'AMQP connection error'));
  const ch = await conn.createChannel();
  ch.on('error', (err) => log.error({ err }, 'AMQP channel error'));
  ch.on('close', () => log.warn('AMQP channel closed'));
  await ch.assertQueue('shipments', { durable: false });
  ch.sendToQueue('shipments', Buffer.from('shipment-1'));
  await ch.consume('shipments', (msg) => log.info({ deliveryTag: msg.fields.deliveryTag }, 'processing shipment'), { noAck: false });
  setTimeout(() => process.exit(0), 100000);
})();
