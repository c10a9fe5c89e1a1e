// node --trace-gc --max-old-space-size=2048 healthy.js : short-lived garbage, scavenges only.
let sum = 0;
for (let i = 0; i < 2e6; i++) { const o = { i, s: 'x' + i }; sum += o.s.length; }
console.log(sum);
