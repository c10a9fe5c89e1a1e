// node --max-old-space-size=32 grow.js : grow an array of objects until V8 gives up.
const keep = [];
for (let i = 0; ; i++) keep.push({ i, s: 'x' + i, a: [i, i + 1] });
