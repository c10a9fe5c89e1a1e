// Shared capture helpers for the Node scripts: a pino destination that records
// exactly what pino wrote, tagged with the category the scenario provokes.
'use strict';
const fs = require('fs');
const path = require('path');
const OUT = path.join(__dirname, 'out');
const TRAP = /pool|timeout|timed|deadlock|lock|memory|heap|retr|lag|conflict|version|exhaust|oom|serializ|cancel|acquir|wait|limit|overflow|stale|idle|max|connect|dispos|recycl|evict|queue|commit|rollback|gc|slow|error|fail/i;

function ver(p) { return require(path.join(__dirname, 'node_modules', p, 'package.json')).version; }

class Sink {
  constructor(script, library) {
    fs.mkdirSync(OUT, { recursive: true });
    const base = path.basename(script).replace(/\.[^.]+$/, '');
    this.path = path.join(OUT, base + '.jsonl');
    this.fd = fs.openSync(this.path, 'w');
    this.raw = fs.openSync(path.join(OUT, base + '.log'), 'w');
    this.script = path.basename(script);
    this.library = library;
    this.cat = null; this.accept = null;
    this.n = { trouble: 0, benign: 0 };
    this.seen = new Map();
  }
  label(cat, accept) { this.cat = cat; this.accept = accept || null; }
  add(line, { cat, library, key, cap = 2 } = {}) {
    line = line.replace(/\n+$/, '');
    fs.writeSync(this.raw, line + '\n');
    cat = this.cat === 'skip' ? 'skip' : (cat || this.cat);
    if (!cat || cat === 'skip' || !line.trim()) return;
    if (cat === 'benign' && !TRAP.test(line)) return;
    if (key !== undefined) {
      const k = cat + '|' + key; const n = (this.seen.get(k) || 0) + 1; this.seen.set(k, n);
      if (n > cap) return;
    }
    const e = { category: cat, line,
      source: `captured: ${library || this.library} (Node ${process.version}), capture/clients/${this.script}` };
    if (this.accept && cat !== 'benign') e.accept = this.accept;
    fs.writeSync(this.fd, JSON.stringify(e) + '\n');
    this.n[cat === 'benign' ? 'benign' : 'trouble'] += 1;
  }
  // a pino destination: routine levels (< warn = 40) are benign, others take the current label
  stream(library) {
    const self = this;
    return { write(s) {
      let rec = {}; try { rec = JSON.parse(s); } catch (_) {}
      const lvl = typeof rec.level === 'number' ? rec.level : ({ trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 }[String(rec.level).toLowerCase()] || 30);
      const msg = String(rec.msg || '').replace(/[0-9]+/g, '#').slice(0, 50);
      self.add(s, { cat: lvl < 40 ? 'benign' : undefined, library, key: msg, cap: lvl < 40 ? 1 : 3 });
    } };
  }
  close() { fs.closeSync(this.fd); fs.closeSync(this.raw); console.error(`${this.script}: ${JSON.stringify(this.n)}`); }
}

const PG = { host: '127.0.0.1', port: 55433, user: 'postgres', database: 'cap' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// local slow HTTP server and a never-accepting listener (loopback only)
function slowServer() {
  const http = require('http');
  return new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      const m = /slow=(\d+)/.exec(req.url); const d = m ? +m[1] : 0;
      setTimeout(() => { try { res.setHeader('content-type', 'application/json'); res.end('{"ok":true}'); } catch (_) {} }, d);
    });
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
}
function silentServer() { // accepts TCP but never answers
  const net = require('net'); const socks = [];
  return new Promise((resolve) => {
    const srv = net.createServer((s) => { socks.push(s); s.on('error', () => {}); });
    srv.listen(0, '127.0.0.1', () => { srv.closeAll = () => { socks.forEach((s) => s.destroy()); srv.close(); }; resolve(srv); });
  });
}
module.exports = { Sink, ver, PG, sleep, slowServer, silentServer };
