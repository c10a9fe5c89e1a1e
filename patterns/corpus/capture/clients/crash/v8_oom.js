// grows the heap until V8 gives up (run with --max-old-space-size=16)
const events = [];
setInterval(() => {
  for (let i = 0; i < 2000; i++) events.push({ stream: 'order-' + i, version: events.length, data: 'x'.repeat(64) + i });
}, 1);
