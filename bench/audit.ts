/*
 * The audit trail's cost: how many events a second the audit plugin's store
 * writes (sink, drain and table, as the plugin runs them), on SQLite and on
 * PostgreSQL, and what Paved's auditor adds to each auditor event over
 * upstream's (the hand-over to the sink: the record, the secret filter).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/audit.ts [--events=20000]
 *
 * PostgreSQL at PAVED_TEST_POSTGRES_URL (default
 * postgresql://postgres@127.0.0.1:5432); a database of its own is created
 * and dropped. See bench/README.md.
 */
import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  AuditorEvent,
  DefaultAuditorService,
} from '@backstage/backend-defaults/auditor';
import {
  AuditRecord,
  DefaultAuditEventSink,
  toAuditRecord,
} from '@paved/plugin-audit-node';
import knexFactory, { Knex } from 'knex';
import { DatabaseAuditStore } from '../plugins/audit-backend/src/store/DatabaseAuditStore';
import { AuditDrain } from '../plugins/audit-backend/src/service/AuditDrain';
import { silentLogger as logger } from './silentLogger';

const events = Number(
  process.argv.find(a => a.startsWith('--events='))?.split('=')[1] ?? 20_000,
);
const PG_URL =
  process.env.PAVED_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432';

/** A task's event as a Paved driver reports it, with a secret to filter. */
function sampleEvent(i: number): AuditorEvent {
  return {
    plugin: 'scaffolder',
    eventId: 'namespace-provision',
    severityLevel: 'medium',
    actor: { actorId: 'plugin:scaffolder' },
    status: 'succeeded',
    meta: {
      actor: 'user:default/lena-fischer',
      target: `namespace storefront-svc${i % 50}-dev`,
      taskId: `5f0c7c4e-0000-4000-8000-${String(i).padStart(12, '0')}`,
      cluster: 'dev',
      token: 'never-stored',
    },
  };
}

/** Writes `events` records through a sink and the plugin's drain; events/s. */
async function storeRate(
  knex: Knex,
): Promise<{ perSecond: number; ms: number }> {
  const store = await DatabaseAuditStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  const sink = DefaultAuditEventSink.create({ maxPending: events + 1 });
  const drain = AuditDrain.create({
    sink,
    store,
    logger,
    intervalMs: 3_600_000,
  });
  for (let i = 0; i < events; i++) sink.push(sampleEvent(i));
  const start = process.hrtime.bigint();
  await drain.flush();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const [{ n }] = await knex('paved_audit__events').count({ n: '*' });
  if (Number(n) !== events) throw new Error(`stored ${n} of ${events}`);
  return { perSecond: (events / ms) * 1000, ms };
}

const credentials = {
  $$type: '@backstage/BackstageCredentials',
  principal: { type: 'service', subject: 'plugin:scaffolder' },
} as unknown as BackstageCredentials;
const auth = {
  getOwnServiceCredentials: async () => credentials,
  isPrincipal: (c: BackstageCredentials, type: string) =>
    (c.principal as { type: string }).type === type,
} as unknown as AuthService;
const deps = {
  auth,
  httpAuth: {} as HttpAuthService,
  plugin: { getId: () => 'scaffolder' },
};

/** Upstream's log callback: a child logger per failure, the level per severity. */
function upstreamLog(event: AuditorEvent) {
  if ('error' in event) logger.child(event).info(event.eventId);
  else logger.debug(`${event.plugin}.${event.eventId}`, event);
}

/** µs per audited change (createEvent + success) through `auditor`. */
async function perChange(auditor: AuditorService, n: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const event = await auditor.createEvent({
      eventId: 'namespace-provision',
      severityLevel: 'medium',
      meta: sampleEvent(i).meta,
    });
    await event.success();
  }
  return Number(process.hrtime.bigint() - start) / 1e3 / n;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function sinkOverhead() {
  const upstream = DefaultAuditorService.create(upstreamLog, deps);
  const sink = DefaultAuditEventSink.create({ maxPending: events * 2 });
  const paved = DefaultAuditorService.create(event => {
    upstreamLog(event);
    sink.push(event);
  }, deps);
  await perChange(upstream, 2_000); // warm-up
  await perChange(paved, 2_000);
  sink.take(Infinity);
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < 5; round++) {
    a.push(await perChange(upstream, events / 5));
    b.push(await perChange(paved, events / 5));
    sink.take(Infinity);
  }
  const start = process.hrtime.bigint();
  const records: AuditRecord[] = [];
  for (let i = 0; i < events; i++) records.push(toAuditRecord(sampleEvent(i)));
  const recordUs = Number(process.hrtime.bigint() - start) / 1e3 / events;
  return { upstream: median(a), paved: median(b), recordUs };
}

async function withPostgres<T>(
  fn: (knex: Knex) => Promise<T>,
): Promise<T | string> {
  const database = `bench_audit_${process.pid}_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  try {
    await admin.raw(`CREATE DATABASE ${database}`);
  } catch (error) {
    await admin.destroy();
    return `skipped (${String(error).split('\n')[0]})`;
  }
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  try {
    return await fn(knex);
  } finally {
    await knex.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${database}`);
    await admin.destroy();
  }
}

async function main() {
  const rows: string[] = [];
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const onSqlite = await storeRate(sqlite);
  await sqlite.destroy();
  rows.push(
    `SQLite (in memory)      ${onSqlite.perSecond
      .toFixed(0)
      .padStart(8)} events/s  (${events} in ${onSqlite.ms.toFixed(0)} ms)`,
  );
  const onPg = await withPostgres(storeRate);
  rows.push(
    typeof onPg === 'string'
      ? `PostgreSQL              ${onPg}`
      : `PostgreSQL              ${onPg.perSecond
          .toFixed(0)
          .padStart(8)} events/s  (${events} in ${onPg.ms.toFixed(0)} ms)`,
  );
  const overhead = await sinkOverhead();

  console.log(
    `Audit store: ${events} records written through the sink and the drain (batches of 500; Node ${process.version})`,
  );
  for (const row of rows) console.log(`  ${row}`);
  console.log(
    `\nAuditor cost per audited change (createEvent + success: two auditor events), median of 5 rounds of ${
      events / 5
    }`,
  );
  console.log(
    `  upstream's auditor (log only)   ${overhead.upstream
      .toFixed(2)
      .padStart(7)} µs`,
  );
  console.log(
    `  Paved's auditor (log + sink)    ${overhead.paved
      .toFixed(2)
      .padStart(7)} µs`,
  );
  console.log(
    `  sink overhead                   ${(overhead.paved - overhead.upstream)
      .toFixed(2)
      .padStart(7)} µs per change, ${(
      (overhead.paved - overhead.upstream) /
      2
    ).toFixed(2)} µs per auditor event`,
  );
  console.log(
    `  toAuditRecord alone             ${overhead.recordUs
      .toFixed(2)
      .padStart(7)} µs per record`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
