// an exception thrown from an event handler kills the process
const EventEmitter = require('events');
const bus = new EventEmitter();
bus.on('OrderPlaced', (raw) => { const e = JSON.parse(raw); console.log(e.id); });
setTimeout(() => bus.emit('OrderPlaced', '{"id":"evt-981","version":4,"data":{"sku":"A-1"'), 10);
