// Runs crashing Node programs and records their stderr exactly as written:
// V8 heap OOM (--max-old-space-size=16), unhandled rejections, uncaught throw;
// and benign --trace-gc lines from a healthy run.
'use strict';
const { spawnSync } = require('child_process');
const { Sink } = require('./caplib');
const sink = new Sink(__filename, `node ${process.version}`);
const lib = `node ${process.version} stderr`;

function run(args, env) {
  const r = spawnSync(process.execPath, args, { cwd: __dirname + '/crash', encoding: 'utf8', timeout: 60000, env: { ...process.env, ...env } });
  return (r.stderr || '') + '';
}
// 1. V8 heap OOM: the whole report as one record, and its FATAL line alone
let err = run(['--max-old-space-size=16', 'v8_oom.js']);
const block = err.split('\n').filter((l) => l.trim() !== '').join('\n');
const fatal = err.split('\n').find((l) => /FATAL ERROR/.test(l));
sink.add(fatal, { cat: 'memory_pressure', library: lib });
sink.add(err.split('\n').slice(0, err.split('\n').findIndex((l) => /FATAL ERROR/.test(l)) + 1).join('\n').trim(), { cat: 'memory_pressure', library: lib });
err = run(['--max-old-space-size=24', '--max-semi-space-size=1', 'v8_oom.js']);
sink.add(err.split('\n').find((l) => /FATAL ERROR/.test(l)), { cat: 'memory_pressure', library: lib, key: 'fatal', cap: 1 });
sink.add(block, { cat: 'skip' });
// 2. unhandled rejections and an uncaught throw
for (const [f, cat, acc] of [['unhandled_pg.js', 'panic', ['pool_exhaustion', 'timeout']], ['unhandled_reason.js', 'panic', null], ['uncaught_throw.js', 'panic', null]]) {
  sink.label(cat, acc);
  const e = run([f]).split('\n').filter((l, i, a) => !(l.trim() === '' && (i === 0 || a[i - 1].trim() === ''))).join('\n').trim();
  sink.add(e, { library: lib });
  sink.label(null);
}
// 3. benign GC tracing from a healthy process
const gc = run(['--trace-gc', '-e', 'let a=[];for(let i=0;i<300000;i++){a.push({i});if(a.length>50000)a=[]}'], {});
const out = spawnSync(process.execPath, ['--trace-gc', '-e', 'let a=[];for(let i=0;i<300000;i++){a.push({i, s:"x".repeat(50)});if(a.length>50000)a=[]}'], { encoding: 'utf8' }).stdout;
let n = 0;
for (const l of out.split('\n')) if (/Scavenge|Mark-Compact/.test(l) && n++ < 3) sink.add(l, { cat: 'benign', library: `node ${process.version} --trace-gc stdout` });
sink.close();
