// node --max-old-space-size=64 grow_str.js : keep growing strings until V8 gives up.
const keep = []; let s = 'x';
for (;;) { s = s + s.length; keep.push(s.repeat(1000)); if (s.length > 1e5) s = 'x'; }
