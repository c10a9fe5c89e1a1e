// Promise rejected with a non-Error value and no handler: node node_rejection.js
async function connect() { throw "ECONNREFUSED 127.0.0.1:2113"; }
connect();
