import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { DatabaseWriteSlotStore } from './DatabaseWriteSlotStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

/** The store of one replica, over `knex`. */
function replica(knex: Knex) {
  return DatabaseWriteSlotStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
}

/** A second connection pool to the same database, as another replica has. */
function secondPool(knex: Knex, databaseId: TestDatabaseId): Knex {
  // SQLite in memory is one database per connection: share the pool there.
  if (!databaseId.startsWith('POSTGRES')) return knex;
  return knexFactory({
    client: 'pg',
    connection: knex.client.config.connection,
  });
}

const limits = [
  { writes: 4, perMs: 10_000 },
  { writes: 6, perMs: 60_000 },
];
const request = (now: number, latest = now + 3_600_000) => ({
  now,
  latest,
  intervalMs: 100,
  limits,
});

describe('DatabaseWriteSlotStore engines', () => {
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
  'DatabaseWriteSlotStore (%s)',
  databaseId => {
    let knex: Knex;
    let other: Knex;
    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await replica(knex);
      other = secondPool(knex, databaseId);
    });
    afterAll(async () => {
      if (other !== knex) await other.destroy();
    });
    afterEach(async () => {
      await knex('paved_github__write_turns').delete();
      await knex('paved_github__write_budgets').delete();
    });

    it('gives two replicas booking at once one queue: distinct turns, spaced, within every limit', async () => {
      const [a, b] = [await replica(knex), await replica(other)];
      const now = Date.now();
      const turns = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? a : b).book('token:github.com:x', request(now)),
        ),
      );
      const at = turns.map(t => t.at).sort((x, y) => x - y);
      expect(turns.every(t => t.booked)).toBe(true);
      for (let i = 1; i < at.length; i++) {
        expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(100);
      }
      for (const { writes, perMs } of limits) {
        for (let i = writes; i < at.length; i++) {
          expect(at[i] - at[i - writes]).toBeGreaterThanOrEqual(perMs);
        }
      }
      // The last of the twelve waits for the minute that holds six.
      expect(at[11] - now).toBeGreaterThanOrEqual(60_000);
      // Each was told the turns still to come ahead of it.
      expect(turns.map(t => t.ahead).sort((x, y) => x - y)).toEqual([
        0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
      ]);
    });

    it('keeps the queues of two credentials apart', async () => {
      const store = await replica(knex);
      const now = Date.now();
      await store.book('token:github.com:x', request(now));
      const app = await store.book('app:github.com:kestrel', request(now));
      expect(app).toEqual({ booked: true, at: now, ahead: 0 });
    });

    it('books nothing when the turn is later than the caller may wait', async () => {
      const store = await replica(knex);
      const now = Date.now();
      await store.book('token:github.com:x', request(now));
      const refused = await store.book('token:github.com:x', request(now, now));
      expect(refused).toEqual({ booked: false, at: now + 100, ahead: 0 });
      const next = await store.book('token:github.com:x', request(now));
      expect(next.at).toBe(now + 100);
    });

    it("holds back every replica's turns until the time GitHub asked for", async () => {
      const [a, b] = [await replica(knex), await replica(other)];
      const now = Date.now();
      await a.block('token:github.com:x', now + 30_000);
      // An earlier block does not shorten a later one.
      await b.block('token:github.com:x', now + 5_000);
      const turn = await b.book('token:github.com:x', request(now));
      expect(turn.at).toBe(now + 30_000);
    });

    it('forgets turns older than the longest window', async () => {
      const store = await replica(knex);
      const long = Date.now() - 120_000;
      await store.book('token:github.com:x', request(long));
      await store.book('token:github.com:x', request(Date.now()));
      const rows = await knex('paved_github__write_turns').select('at');
      expect(rows.map(r => Number(r.at))).toEqual([expect.any(Number)]);
      expect(Number(rows[0].at)).toBeGreaterThan(long);
    });
  },
);
