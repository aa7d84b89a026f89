import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AuditRecord } from '@paved/plugin-audit-node';
import { Knex } from 'knex';
import { DatabaseAuditStore } from './DatabaseAuditStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

function record(n: number, fields: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    time: Date.UTC(2026, 11, 7, 10, 0, n),
    plugin: 'scaffolder',
    eventId: 'namespace-delete',
    severity: 'high',
    status: 'succeeded',
    actor: 'user:default/lena-fischer',
    target: 'namespace storefront-cart-dev',
    taskId: `task-${n}`,
    error: null,
    meta: { n, ok: true, nested: { list: [1, 'a'] } },
    ...fields,
  };
}

describe('DatabaseAuditStore engines', () => {
  it('runs on SQLite and, when npm test provides it, PostgreSQL', () => {
    const ids = databases.eachSupportedId().map(([id]) => id);
    const required = ['SQLITE_3'];
    if (process.env.PAVED_REQUIRE_POSTGRES) {
      required.push(process.env.PAVED_TEST_POSTGRES_ID!);
    }
    expect(ids).toEqual(expect.arrayContaining(required));
  });
});

describe.each(databases.eachSupportedId())('DatabaseAuditStore (%s)', id => {
  let knex: Knex;
  let store: DatabaseAuditStore;
  beforeAll(async () => {
    knex = await databases.init(id);
    store = await DatabaseAuditStore.create({
      database: mockServices.database({ knex }),
    });
  });
  afterEach(async () => {
    await knex('paved_audit__events').delete();
  });

  it('keeps every field, JSON and times as they were, newest first', async () => {
    await store.insert([
      record(1),
      record(2, { status: 'failed', error: 'NotAllowedError: no' }),
    ]);
    const { events, nextCursor } = await store.query({ limit: 10 });
    expect(events).toEqual([
      record(2, { status: 'failed', error: 'NotAllowedError: no' }),
      record(1),
    ]);
    expect(nextCursor).toBeUndefined();
  });

  it('stores a record written twice once', async () => {
    await store.insert([record(1)]);
    await store.insert([record(1), record(2)]);
    expect((await store.query({ limit: 10 })).events).toHaveLength(2);
  });

  it('filters by actor, target text, event, plugin, status, task and time', async () => {
    await store.insert([
      record(1),
      record(2, { actor: 'user:default/jonas-weber', status: 'failed' }),
      record(3, { target: 'repository kestrel/Cart_100%', plugin: 'forge' }),
      record(4, { eventId: 'task', actor: 'plugin:scaffolder', target: null }),
    ]);
    const ids = async (q: object) =>
      (await store.query({ limit: 10, ...q })).events.map(e => e.taskId);
    expect(await ids({ actor: 'user:default/jonas-weber' })).toEqual([
      'task-2',
    ]);
    expect(await ids({ status: 'failed' })).toEqual(['task-2']);
    expect(await ids({ target: 'CART-DEV' })).toEqual(['task-2', 'task-1']);
    expect(await ids({ target: 'cart_100%' })).toEqual(['task-3']);
    expect(await ids({ target: '_' })).toEqual(['task-3']);
    expect(await ids({ plugin: 'forge' })).toEqual(['task-3']);
    expect(await ids({ eventId: 'task' })).toEqual(['task-4']);
    expect(await ids({ taskId: 'task-1' })).toEqual(['task-1']);
    expect(await ids({ from: record(2).time, to: record(3).time })).toEqual([
      'task-3',
      'task-2',
    ]);
  });

  it('pages newest first with a cursor, also within one millisecond', async () => {
    const sameTime = record(5).time;
    await store.insert(
      [1, 2, 3, 4, 5, 6, 7].map(n =>
        record(n, n > 4 ? { time: sameTime } : {}),
      ),
    );
    const seen: string[] = [];
    let page = await store.query({ limit: 3 });
    seen.push(...page.events.map(e => e.taskId!));
    while (page.nextCursor) {
      page = await store.query({ limit: 3, cursor: page.nextCursor });
      seen.push(...page.events.map(e => e.taskId!));
    }
    expect(seen).toEqual([
      'task-7',
      'task-6',
      'task-5',
      'task-4',
      'task-3',
      'task-2',
      'task-1',
    ]);
  });

  it('deletes only what is older than the cut-off', async () => {
    await store.insert([record(1), record(2), record(3)]);
    await expect(store.deleteOlderThan(record(3).time)).resolves.toBe(2);
    expect(
      (await store.query({ limit: 10 })).events.map(e => e.taskId),
    ).toEqual(['task-3']);
  });
});
