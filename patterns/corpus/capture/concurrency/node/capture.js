// Capture ORM/driver concurrency errors logged with pino 10.4.0 (JSON to stdout).
// PostgreSQL 15.18 on /tmp/tailwatch-capture/concurrency:55439, MariaDB 10.11.19 on /tmp/tailwatch-capture/concurrency/mysqld.sock.
require('reflect-metadata');
const pino = require('pino');
const log = pino({ base: { pid: process.pid, hostname: 'orders-7f9c' } });
const { Sequelize, DataTypes } = require('sequelize');
const mysql = require('mysql2/promise');
const typeorm = require('typeorm');
const mongoose = require('mongoose');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function sequelizeOptimistic() {
  const sq = new Sequelize('postgres', 'postgres', '', { host: '/tmp/tailwatch-capture/concurrency', port: 55439, dialect: 'postgres', logging: false });
  const Order = sq.define('Order', { status: DataTypes.STRING }, { version: true, tableName: 'sq_orders' });
  await Order.sync({ force: true });
  const o = await Order.create({ status: 'new' });
  const a = await Order.findByPk(o.id), b = await Order.findByPk(o.id);
  a.status = 'paid'; await a.save();
  b.status = 'cancelled';
  try { await b.save(); } catch (err) { log.error({ err, orderId: o.id }, 'failed to update order'); }
  // deadlock through sequelize
  await sq.query('drop table if exists sq_acc'); await sq.query('create table sq_acc(id int primary key, bal int)');
  await sq.query('insert into sq_acc values (1,1),(2,2)');
  const t1 = await sq.transaction(), t2 = await sq.transaction();
  await sq.query('update sq_acc set bal=bal+1 where id=1', { transaction: t1 });
  await sq.query('update sq_acc set bal=bal+1 where id=2', { transaction: t2 });
  const p1 = sq.query('update sq_acc set bal=bal+1 where id=2', { transaction: t1 }).then(() => t1.commit()).catch(async (err) => { log.error({ err }, 'transfer failed'); await t1.rollback(); });
  await sleep(300);
  const p2 = sq.query('update sq_acc set bal=bal+1 where id=1', { transaction: t2 }).then(() => t2.commit()).catch(async (err) => { log.error({ err }, 'transfer failed'); await t2.rollback(); });
  await Promise.all([p1, p2]);
  // serialization failure
  const s1 = await sq.transaction({ isolationLevel: 'REPEATABLE READ' }), s2 = await sq.transaction({ isolationLevel: 'REPEATABLE READ' });
  await sq.query('select * from sq_acc', { transaction: s1 }); await sq.query('select * from sq_acc', { transaction: s2 });
  await sq.query('update sq_acc set bal=bal+1 where id=1', { transaction: s1 });
  const q = sq.query('update sq_acc set bal=bal+1 where id=1', { transaction: s2 }).catch(async (err) => { log.error({ err }, 'deposit failed'); await s2.rollback(); });
  await sleep(200); await s1.commit(); await q;
  await sq.close();
}

async function mysqlDeadlock() {
  const opts = { socketPath: '/tmp/tailwatch-capture/concurrency/mysqld.sock', user: 'root', database: 'test' };
  const a = await mysql.createConnection(opts), b = await mysql.createConnection(opts);
  await a.query('begin'); await b.query('begin');
  await a.query('update acc set bal=bal-1 where id=1'); await b.query('update acc set bal=bal-1 where id=2');
  const p = a.query('update acc set bal=bal+1 where id=2').catch((err) => log.error({ err }, 'transfer failed'));
  await sleep(300);
  await b.query('update acc set bal=bal+1 where id=1').catch((err) => log.error({ err }, 'transfer failed'));
  await p; await a.query('rollback'); await b.query('rollback');
  await a.query('begin'); await a.query('update acc set bal=bal where id=1');
  await b.query('update acc set bal=0 where id=1').catch((err) => log.error({ err }, 'update failed'));
  await a.query('rollback'); await a.end(); await b.end();
}

async function typeormOptimistic() {
  const Item = new typeorm.EntitySchema({ name: 'Item', tableName: 'to_items', columns: {
    id: { type: Number, primary: true, generated: true }, name: { type: String }, version: { type: Number, version: true } } });
  const ds = new typeorm.DataSource({ type: 'postgres', host: '/tmp/tailwatch-capture/concurrency', port: 55439, username: 'postgres', database: 'postgres', entities: [Item], synchronize: true, logging: false });
  await ds.initialize();
  const repo = ds.getRepository('Item');
  const it = await repo.save({ name: 'widget' });
  await repo.save({ ...it, name: 'widget2' });
  try {
    await ds.transaction(async (m) => m.getRepository('Item').findOne({ where: { id: it.id }, lock: { mode: 'optimistic', version: 1 } }));
  } catch (err) { log.error({ err, itemId: it.id }, 'rename item failed'); }
  await ds.destroy();
}

function mongooseVersion() {
  const s = new mongoose.Schema({ items: [String] });
  const Cart = mongoose.model('Cart', s);
  const doc = new Cart({ items: ['a'] });
  const err = new mongoose.Error.VersionError(doc, 3, ['items']);
  log.error({ err, cartId: String(doc._id) }, 'cart update failed');
}

(async () => {
  for (const f of [sequelizeOptimistic, mysqlDeadlock, typeormOptimistic, mongooseVersion]) {
    try { await f(); } catch (err) { log.fatal({ err }, 'capture step crashed ' + f.name); }
  }
})();
