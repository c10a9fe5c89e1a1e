// knex (pool acquire timeout), sequelize (ConnectionAcquireTimeoutError,
// OptimisticLockError) and typeorm (optimistic lock version mismatch) on
// PostgreSQL; logged with pino (JSON with err).
'use strict';
require('reflect-metadata');
const pino = require('pino');
const { Sink, ver, PG, sleep } = require('./caplib');

const sink = new Sink(__filename, 'knex');
const mk = (lib, opts = {}) => pino({ level: 'debug', ...opts }, sink.stream(`${lib} / pino ${ver('pino')}`));

async function knexPart() {
  const LIB = `knex ${ver('knex')} + pg ${ver('pg')}`;
  const log = mk(LIB, { base: { service: 'ledger' } });
  sink.label('benign');
  const knex = require('knex')({
    client: 'pg', connection: PG, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 500, debug: false,
    log: { warn: (m) => log.warn(m), error: (m) => log.error(m), debug: (m) => log.debug(m), deprecate: (m) => log.warn(m) },
  });
  log.info({ pool: { min: 0, max: 1 }, acquireConnectionTimeout: 500 }, 'knex initialised');
  await knex.raw('select 1');
  const trx = await knex.transaction();
  await trx.raw('select 1');
  sink.label('pool_exhaustion', ['timeout']);
  try { await knex('np_accounts').where({ id: 1 }).first(); } catch (err) { log.error({ err }, 'failed to read account'); }
  try { await knex.raw('select 2'); } catch (err) { mk(LIB, { formatters: { level: (l) => ({ level: l }) }, timestamp: pino.stdTimeFunctions.isoTime }).error({ err }, 'failed to read account'); }
  sink.label('skip');
  await trx.rollback();
  // statement timeout through knex
  sink.label('timeout');
  try { await knex.raw('select pg_sleep(2)').timeout(300, { cancel: true }); } catch (err) { log.error({ err }, 'report query failed'); }
  sink.label('skip');
  await knex.destroy();
}

async function sequelizePart() {
  const { Sequelize, DataTypes } = require('sequelize');
  const LIB = `sequelize ${ver('sequelize')} + pg ${ver('pg')}`;
  const log = mk(LIB, { name: 'accounts-svc' });
  sink.label('benign');
  const seq = new Sequelize('cap', 'postgres', null, { host: PG.host, port: PG.port, dialect: 'postgres',
    pool: { max: 1, min: 0, acquire: 500, idle: 1000 },
    logging: (sql, timing) => log.debug({ timing }, sql), benchmark: true });
  const Account = seq.define('Account', { balance: DataTypes.INTEGER }, { tableName: 'sq_accounts', version: true });
  await seq.sync({ force: true });
  await Account.create({ id: 1, balance: 100 });
  // optimistic lock
  const a1 = await Account.findByPk(1); const a2 = await Account.findByPk(1);
  a1.balance = 110; await a1.save();
  a2.balance = 90;
  sink.label('concurrency_conflict');
  try { await a2.save(); } catch (err) { log.error({ err }, 'failed to update account'); }
  const a3 = await Account.findByPk(1); const a4 = await Account.findByPk(1);
  await a3.increment('balance', { by: 1 }); a3.balance = 5; await a3.save();
  a4.balance = 6;
  try { await a4.save(); } catch (err) { log.warn({ err, accountId: 1 }, 'concurrent modification, giving up'); }
  // acquire timeout
  sink.label('skip');
  const t = await seq.transaction();
  await Account.findByPk(1, { transaction: t });
  sink.label('pool_exhaustion', ['timeout']);
  try { await Account.findByPk(1); } catch (err) { log.error({ err }, 'failed to load account'); }
  sink.label('skip');
  await t.rollback();
  await seq.close();
}

async function typeormPart() {
  const { DataSource, EntitySchema } = require('typeorm');
  const LIB = `typeorm ${ver('typeorm')} + pg ${ver('pg')}`;
  const log = mk(LIB, { formatters: { level: (l) => ({ level: l }) }, timestamp: pino.stdTimeFunctions.isoTime, base: { svc: 'inventory' } });
  const Item = new EntitySchema({ name: 'Item', tableName: 'to_items', columns: {
    id: { type: Number, primary: true }, qty: { type: Number }, version: { type: Number, version: true } } });
  sink.label('benign');
  const ds = new DataSource({ type: 'postgres', ...PG, username: 'postgres', entities: [Item], synchronize: true,
    extra: { max: 2, connectionTimeoutMillis: 1000 },
    logging: ['error', 'warn', 'info', 'log'], logger: {
      logQuery: (q) => log.debug(q), logQueryError: (e, q) => log.error({ err: e }, q), logQuerySlow: (t, q) => log.warn({ time: t }, q),
      logSchemaBuild: (m) => log.debug(m), logMigration: (m) => log.info(m), log: (lvl, m) => log[lvl === 'log' ? 'info' : lvl](m) } });
  await ds.initialize();
  const repo = ds.getRepository('Item');
  await repo.save({ id: 1, qty: 10 });
  const it = await repo.findOneBy({ id: 1 }); it.qty = 9; await repo.save(it); // version -> 2
  sink.label('concurrency_conflict');
  for (const lg of [log, mk(LIB, { name: 'inventory' })]) {
    try {
      await ds.transaction(async (m) => { await m.findOne('Item', { where: { id: 1 }, lock: { mode: 'optimistic', version: 1 } }); });
    } catch (err) { lg.error({ err }, 'reservation failed'); }
  }
  sink.label('skip');
  await ds.destroy();
}

(async () => {
  await knexPart();
  await sequelizePart();
  await typeormPart();
  sink.close();
})().catch((e) => { console.error(e); process.exit(1); });
