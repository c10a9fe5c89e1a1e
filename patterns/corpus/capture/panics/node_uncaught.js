// Uncaught exception thrown from a timer callback: node node_uncaught.js
function applyEvent(state, ev) {
  if (!ev.type) throw new Error(`event without type at position ${ev.position}`);
  return state;
}
setTimeout(() => applyEvent({}, { position: 1842 }), 10);
