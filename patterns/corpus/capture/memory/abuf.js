// node abuf.js under `ulimit -v 2000000`: a 4 GiB ArrayBuffer cannot be allocated.
try { const b = new ArrayBuffer(4 * 1024 ** 3); console.log(b.byteLength); }
catch (e) { console.error(e.stack); }
const m = new Map(); for (let i = 0; ; i++) m.set(i, i);
