// Real TypeError from property access on undefined, uncaught
const subscriptions = {};
function checkpoint(name) { return subscriptions[name].position; }
checkpoint('orders');
