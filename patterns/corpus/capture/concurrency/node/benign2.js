// Benign: Sequelize 6.37.8 logs of a SERIALIZABLE transaction that commits (logging: console.log).
const { Sequelize, Transaction } = require('sequelize');
(async () => {
  const sq = new Sequelize('postgres', 'postgres', '', { host: '/tmp/tailwatch-capture/concurrency', port: 55439, dialect: 'postgres', logging: console.log });
  await sq.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.SERIALIZABLE }, async (t) => sq.query('select sum(bal) from acc', { transaction: t }));
  await sq.close();
})();
