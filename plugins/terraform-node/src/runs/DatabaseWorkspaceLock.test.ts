import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseWorkspaceLock } from './DatabaseWorkspaceLock';
import { migrateDatabase } from '../migrateDatabase';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

async function migrated(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  await migrateDatabase(
    mockServices.database({ knex, migrations: { skip: false } }),
  );
  return knex;
}

function lock(
  knex: Knex,
  replicaId: string,
  options: { leaseMs?: number; heartbeatMs?: number } = {},
) {
  return DatabaseWorkspaceLock.create({
    knex,
    logger: mockServices.logger.mock(),
    leaseMs: options.leaseMs ?? 60_000,
    heartbeatMs: options.heartbeatMs,
    replicaId,
    host: `${replicaId}.internal`,
  });
}

describe('DatabaseWorkspaceLock engines', () => {
  it('runs on SQLite and, when npm test provides it, PostgreSQL', () => {
    const ids = databases.eachSupportedId().map(([id]) => id);
    const required = ['SQLITE_3'];
    if (process.env.PAVED_REQUIRE_POSTGRES) {
      required.push(process.env.PAVED_TEST_POSTGRES_ID!);
    }
    expect(ids).toEqual(expect.arrayContaining(required));
  });
});

describe.each(databases.eachSupportedId())(
  'DatabaseWorkspaceLock (%s)',
  databaseId => {
    let knex: Knex;
    beforeAll(async () => {
      knex = await migrated(databaseId);
    });
    afterEach(async () => {
      await knex('paved_terraform__workspace_leases').delete();
    });

    it('gives a workspace to one run at a time and names the holder', async () => {
      const a = lock(knex, 'replica-a');
      const lease = await a.acquire({
        workspace: 'orders-db',
        runId: 'run-1',
        operation: 'apply',
      });
      const error = await a
        .acquire({ workspace: 'orders-db', runId: 'run-2', operation: 'plan' })
        .catch(e => e);
      expect(error.name).toBe('ConflictError');
      expect(error.message).toMatch(
        /^Workspace "orders-db" is busy: run run-1 \(apply\) holds it on host replica-a\.internal since \d{4}-\d\d-\d\dT.*Z; its lease expires at .*Z unless renewed$/,
      );
      // Other workspaces are independent.
      const other = await a.acquire({
        workspace: 'orders-cache',
        runId: 'run-3',
        operation: 'plan',
      });
      await other.release();
      await lease.release();
      await lease.release();
      const next = await a.acquire({
        workspace: 'orders-db',
        runId: 'run-4',
        operation: 'plan',
      });
      expect((await a.holderOf('orders-db'))?.runId).toBe('run-4');
      await next.release();
      expect(await a.holderOf('orders-db')).toBeUndefined();
    });

    it('lets exactly one of two replicas win a race', async () => {
      const replicas = [lock(knex, 'replica-a'), lock(knex, 'replica-b')];
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          replicas[i % 2].acquire({
            workspace: 'raced',
            runId: `run-${i}`,
            operation: 'apply',
          }),
        ),
      );
      const won = results.filter(r => r.status === 'fulfilled');
      const lost = results.filter(
        r => r.status === 'rejected',
      ) as PromiseRejectedResult[];
      expect(won).toHaveLength(1);
      expect(lost.map(r => r.reason.name)).toEqual(
        Array(5).fill('ConflictError'),
      );
      await (won[0] as PromiseFulfilledResult<any>).value.release();
    });

    it('renews a live lease and lets a dead holder’s lease be taken over once expired', async () => {
      // A live holder renews every 50 ms: its 300 ms lease never lapses.
      const live = lock(knex, 'replica-live', {
        leaseMs: 300,
        heartbeatMs: 50,
      });
      const held = await live.acquire({
        workspace: 'renewed',
        runId: 'live-run',
        operation: 'apply',
      });
      await new Promise(r => setTimeout(r, 600));
      const b = lock(knex, 'replica-b', { leaseMs: 300 });
      await expect(
        b.acquire({ workspace: 'renewed', runId: 'b-run', operation: 'plan' }),
      ).rejects.toThrow('run live-run (apply) holds it');
      await held.release();

      // A holder that died (no renewal for far longer than the lease).
      const dead = lock(knex, 'replica-dead', {
        leaseMs: 200,
        heartbeatMs: 3_600_000,
      });
      const abandoned = await dead.acquire({
        workspace: 'orphaned',
        runId: 'dead-run',
        operation: 'apply',
      });
      await expect(
        b.acquire({
          workspace: 'orphaned',
          runId: 'too-early',
          operation: 'plan',
        }),
      ).rejects.toThrow('run dead-run (apply) holds it');
      await new Promise(r => setTimeout(r, 300));
      const taken = await b.acquire({
        workspace: 'orphaned',
        runId: 'b-run-2',
        operation: 'plan',
      });
      expect((await b.holderOf('orphaned'))?.host).toBe('replica-b.internal');

      // The dead holder's late release does not free the new holder's lease.
      await abandoned.release();
      expect((await b.holderOf('orphaned'))?.runId).toBe('b-run-2');
      await taken.release();
    });

    it('tells a holder that lost its lease to stop', async () => {
      const slow = lock(knex, 'replica-slow', {
        leaseMs: 150,
        heartbeatMs: 400,
      });
      const lease = await slow.acquire({
        workspace: 'stolen',
        runId: 'slow-run',
        operation: 'apply',
      });
      await new Promise(r => setTimeout(r, 200));
      const b = lock(knex, 'replica-b', { leaseMs: 60_000 });
      const taken = await b.acquire({
        workspace: 'stolen',
        runId: 'b-run',
        operation: 'apply',
      });
      await new Promise<void>(resolve =>
        lease.lost.addEventListener('abort', () => resolve()),
      );
      expect(lease.lost.reason.message).toBe(
        'Lost the lease of workspace "stolen": another run took it over',
      );
      await taken.release();
      await lease.release();
    });
  },
);
