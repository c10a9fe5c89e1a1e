// Promise rejected with an Error and no handler: node node_rejection_err.js
async function readStream(name) {
  const err = new TypeError(`Cannot read properties of undefined (reading 'revision')`);
  throw err;
}
readStream('order-42');
