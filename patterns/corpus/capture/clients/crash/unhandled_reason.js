// a promise rejected with a non-Error reason and never handled
async function appendEvents() { throw { code: 'E_APPEND', stream: 'order-42' }; }
appendEvents();
setTimeout(() => {}, 100);
