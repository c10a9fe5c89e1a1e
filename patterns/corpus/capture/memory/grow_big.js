// node --max-old-space-size=64 grow_big.js : keep 1M-element arrays until V8 gives up.
const keep = [];
for (;;) keep.push(new Array(1e6).fill(keep.length));
