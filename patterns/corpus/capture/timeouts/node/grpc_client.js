// @grpc/grpc-js client hitting the slow loopback server with a 1 s deadline; logs with pino.
const grpc = require('@grpc/grpc-js');
const pino = require('pino');
const log = pino({ name: 'ledger-api' });
const c = new grpc.Client('127.0.0.1:18090', grpc.credentials.createInsecure());
const id = (b) => b;
c.makeUnaryRequest('/ledger.v1.Ledger/AppendEvents', id, id, Buffer.alloc(0), { deadline: Date.now() + 1000 }, (err) => {
  log.error({ err }, 'AppendEvents failed');
  console.error(err.stack);
  c.close();
});
