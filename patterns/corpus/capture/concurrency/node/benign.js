// Benign lines: Sequelize 6.37.8 SQL logging (console) of a versioned update, TypeORM 1.1.1 query logging
// (advanced-console logger, simple-console) of an optimistic-lock read that matches its version.
require('reflect-metadata');
const { Sequelize, DataTypes } = require('sequelize');
const typeorm = require('typeorm');
(async () => {
  const sq = new Sequelize('postgres', 'postgres', '', { host: '/tmp/tailwatch-capture/concurrency', port: 55439, dialect: 'postgres', logging: console.log });
  const Order = sq.define('Order', { status: DataTypes.STRING }, { version: true, tableName: 'sq_orders' });
  const o = await Order.findOne(); o.status = 'shipped'; await o.save();
  await sq.close();
  const Item = new typeorm.EntitySchema({ name: 'Item', tableName: 'to_items', columns: {
    id: { type: Number, primary: true, generated: true }, name: { type: String }, version: { type: Number, version: true } } });
  const ds = new typeorm.DataSource({ type: 'postgres', host: '/tmp/tailwatch-capture/concurrency', port: 55439, username: 'postgres', database: 'postgres', entities: [Item], logging: true, logger: 'simple-console' });
  await ds.initialize();
  await ds.transaction(async (m) => m.getRepository('Item').findOne({ where: { id: 1 }, lock: { mode: 'optimistic', version: 2 } }));
  await ds.destroy();
})();
