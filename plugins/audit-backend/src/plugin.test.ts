import {
  AuditorService,
  coreServices,
  createBackendPlugin,
  SchedulerServiceTaskScheduleDefinition,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { auditorServiceFactory } from '@paved/plugin-audit-node';
import { auditChange } from '@paved/plugin-ownership-node';
import { TEST_USERS, testOwnership } from '@paved/testkit';
import { Knex } from 'knex';
import request from 'supertest';
import { auditPlugin } from './plugin';

jest.setTimeout(120_000);

const databases = TestDatabases.create();
const ownership = testOwnership();

/** paved.audit.read as Paved's policy decides it: admins only. */
const permissions = mockServices.permissions.mock({
  authorize: async (requests, options) => {
    const caller = await ownership.caller(options!.credentials);
    return requests.map(() => ({
      result: caller.isAdmin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
    }));
  },
});

/** A backend with the audit plugin, Paved's auditor and a plugin that emits events. */
async function startPortal(
  knex: Knex,
  extra: { scheduler?: ReturnType<typeof mockServices.scheduler.mock> } = {},
) {
  let auditor: AuditorService | undefined;
  const probe = createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: { auditor: coreServices.auditor },
        async init(deps) {
          auditor = deps.auditor;
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      auditPlugin,
      probe,
      auditorServiceFactory,
      permissions.factory,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: { paved: { audit: { retention: '1d' } } },
      }),
      ...(extra.scheduler ? [extra.scheduler.factory] : []),
    ],
  });
  return { backend, server: backend.server, auditor: auditor! };
}

const as = (user: string) => mockCredentials.user.header(user);

/** What Paved's drivers and an upstream plugin report in one task. */
async function emitTaskEvents(auditor: AuditorService) {
  await auditChange(
    auditor,
    {
      eventId: 'namespace-delete',
      actor: TEST_USERS.teamA,
      target: 'namespace storefront-cart-dev',
      taskId: 'task-1',
      severityLevel: 'high',
      details: {
        cluster: 'dev',
        token: 'ghp_never-stored',
        apiKey: 'k-never-stored',
      },
    },
    async () => undefined,
  );
  await expect(
    auditChange(
      auditor,
      {
        eventId: 'repository-delete',
        actor: TEST_USERS.teamB,
        target: 'repository kestrel/cart',
        taskId: 'task-2',
        severityLevel: 'high',
      },
      async () => {
        throw new NotAllowedError('it is owned by group:default/storefront');
      },
    ),
  ).rejects.toThrow('owned by');
  const read = await auditor.createEvent({
    eventId: 'entity-fetch',
    meta: { entityRef: 'component:default/cart' },
  });
  await read.success();
}

type Event = {
  id: string;
  time: string;
  plugin: string;
  eventId: string;
  status: string;
  actor: string | null;
  target: string | null;
  taskId: string | null;
  error: string | null;
  meta: Record<string, unknown> | null;
};

async function events(server: any, query = ''): Promise<Event[]> {
  const res = await request(server)
    .get(`/api/audit/events${query}`)
    .set('Authorization', as(TEST_USERS.admin));
  expect(res.status).toBe(200);
  return res.body.events;
}

/** Waits for the drain (every second) to store `count` events. */
async function stored(server: any, count: number): Promise<Event[]> {
  for (let i = 0; i < 50; i++) {
    const found = await events(server);
    if (found.length >= count) return found;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`fewer than ${count} audit events were stored`);
}

describe('audit plugin engines', () => {
  it('runs on SQLite and, when npm test provides it, PostgreSQL', () => {
    const ids = databases.eachSupportedId().map(([id]) => id);
    const required = ['SQLITE_3'];
    if (process.env.PAVED_REQUIRE_POSTGRES) {
      required.push(process.env.PAVED_TEST_POSTGRES_ID!);
    }
    expect(ids).toEqual(expect.arrayContaining(required));
  });
});

describe.each(databases.eachSupportedId())('audit plugin (%s)', id => {
  let knex: Knex;
  beforeEach(async () => {
    knex = await databases.init(id);
  });

  it('stores what every plugin audits: who, what, target, task, outcome; no secrets', async () => {
    const { backend, server, auditor } = await startPortal(knex);
    await emitTaskEvents(auditor);
    const found = await stored(server, 5);
    expect(
      found.map(e => [
        e.plugin,
        e.eventId,
        e.status,
        e.actor,
        e.target,
        e.taskId,
      ]),
    ).toEqual([
      [
        'probe',
        'entity-fetch',
        'succeeded',
        'plugin:probe',
        'component:default/cart',
        null,
      ],
      [
        'probe',
        'repository-delete',
        'failed',
        TEST_USERS.teamB,
        'repository kestrel/cart',
        'task-2',
      ],
      [
        'probe',
        'repository-delete',
        'initiated',
        TEST_USERS.teamB,
        'repository kestrel/cart',
        'task-2',
      ],
      [
        'probe',
        'namespace-delete',
        'succeeded',
        TEST_USERS.teamA,
        'namespace storefront-cart-dev',
        'task-1',
      ],
      [
        'probe',
        'namespace-delete',
        'initiated',
        TEST_USERS.teamA,
        'namespace storefront-cart-dev',
        'task-1',
      ],
    ]);
    expect(found[1].error).toBe(
      'NotAllowedError: it is owned by group:default/storefront',
    );
    expect(found[3].meta).toMatchObject({ cluster: 'dev' });
    expect(JSON.stringify(found)).not.toContain('never-stored');
    const raw = await knex('paved_audit__events').select('meta');
    expect(JSON.stringify(raw)).not.toContain('never-stored');
    expect(Date.parse(found[0].time)).toBeGreaterThan(Date.now() - 60_000);
    await backend.stop();
  });

  it('filters by actor, target, event, plugin, status and time, and pages with a cursor', async () => {
    const { backend, server, auditor } = await startPortal(knex);
    await emitTaskEvents(auditor);
    const all = await stored(server, 5);
    const ids = async (q: string) => (await events(server, q)).map(e => e.id);
    expect(await ids(`?actor=${encodeURIComponent(TEST_USERS.teamB)}`)).toEqual(
      [all[1].id, all[2].id],
    );
    expect(await ids('?target=Storefront-Cart')).toEqual([
      all[3].id,
      all[4].id,
    ]);
    expect(await ids('?eventId=entity-fetch')).toEqual([all[0].id]);
    expect(await ids('?status=failed')).toEqual([all[1].id]);
    expect(await ids('?plugin=catalog')).toEqual([]);
    expect(await ids('?plugin=probe')).toHaveLength(5);
    expect(await ids('?taskId=task-1&status=initiated')).toEqual([all[4].id]);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await ids(`?from=${future}`)).toEqual([]);
    expect(await ids(`?to=${future}`)).toHaveLength(5);

    const first = await request(server)
      .get('/api/audit/events?limit=3')
      .set('Authorization', as(TEST_USERS.admin));
    expect(first.body.events.map((e: Event) => e.id)).toEqual(
      all.slice(0, 3).map(e => e.id),
    );
    const second = await request(server)
      .get(`/api/audit/events?limit=3&cursor=${first.body.nextCursor}`)
      .set('Authorization', as(TEST_USERS.admin));
    expect(second.body.events.map((e: Event) => e.id)).toEqual([
      all[3].id,
      all[4].id,
    ]);
    expect(second.body.nextCursor).toBeUndefined();
    await backend.stop();
  });

  it('answers admins only: 403 naming paved.audit.read to users of any team and to services', async () => {
    const { backend, server } = await startPortal(knex);
    for (const user of [TEST_USERS.teamA, TEST_USERS.teamB]) {
      const res = await request(server)
        .get('/api/audit/events')
        .set('Authorization', as(user));
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('paved.audit.read');
    }
    const service = await request(server)
      .get('/api/audit/events')
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(403);
    // without a header the test backend's httpAuth sees its default plain user
    expect((await request(server).get('/api/audit/events')).status).toBe(403);
    await events(server);
    await backend.stop();
  });

  it('refuses bad query values with 400 naming the parameter and what was expected', async () => {
    const { backend, server } = await startPortal(knex);
    const cases: Array<[string, string]> = [
      ['limit=5000', "'limit': expected a whole number from 1 to 1000"],
      ['limit=0', "'limit': expected a whole number from 1 to 1000"],
      ['from=yesterday', "'from': expected an ISO 8601 time"],
      ['to=2026-13-45T00:00:00Z', "'to': expected an ISO 8601 time"],
      ['status=done', "'status': expected one of initiated, succeeded, failed"],
      ['actor=a&actor=b', "'actor': expected a single value"],
      [
        'cursor=nonsense',
        "'cursor': expected the nextCursor of an earlier page",
      ],
      ['user=x', "'user': expected only actor, target"],
      [
        'from=2026-12-08T00:00:00Z&to=2026-12-07T00:00:00Z',
        "expected 'from' no later than 'to'",
      ],
    ];
    for (const [query, message] of cases) {
      const res = await request(server)
        .get(`/api/audit/events?${query}`)
        .set('Authorization', as(TEST_USERS.admin));
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error.message).toContain(message);
    }
    await backend.stop();
  });

  it('keeps the trail over a restart, events still waiting in the sink included', async () => {
    const first = await startPortal(knex);
    await emitTaskEvents(first.auditor);
    // stop at once: what the drain has not written yet is flushed on shutdown
    await first.backend.stop();

    const second = await startPortal(knex);
    const found = await events(second.server);
    expect(found.map(e => `${e.eventId} ${e.status}`)).toEqual([
      'entity-fetch succeeded',
      'repository-delete failed',
      'repository-delete initiated',
      'namespace-delete succeeded',
      'namespace-delete initiated',
    ]);
    await second.backend.stop();
  });

  it('deletes events older than paved.audit.retention on its schedule', async () => {
    const tasks: Array<
      SchedulerServiceTaskInvocationDefinition &
        SchedulerServiceTaskScheduleDefinition
    > = [];
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async task => {
        tasks.push(task);
      },
    });
    const { backend, server, auditor } = await startPortal(knex, { scheduler });
    await emitTaskEvents(auditor);
    const found = await stored(server, 5);
    const twoDaysAgo = Date.now() - 2 * 86_400_000;
    await knex('paved_audit__events')
      .whereIn('id', [found[2].id, found[3].id, found[4].id])
      .update({ time: twoDaysAgo });

    const retention = tasks.find(t => t.id === 'audit-retention');
    expect(retention?.frequency).toEqual({ hours: 1 });
    await retention!.fn(new AbortController().signal);
    expect((await events(server)).map(e => e.id)).toEqual([
      found[0].id,
      found[1].id,
    ]);
    await backend.stop();
  });
});
