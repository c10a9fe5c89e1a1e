// ioredis with no 'error' listener: the library prints "[ioredis] Unhandled error event" itself
const Redis = require('../node_modules/ioredis');
const r = new Redis({ host: '127.0.0.1', port: +process.argv[2], connectTimeout: 400, retryStrategy: (n) => (n > 1 ? null : 100), lazyConnect: false });
setTimeout(() => { r.disconnect(); process.exit(0); }, 2500);
