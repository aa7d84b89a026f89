import {
  createBackendPlugin,
  createServiceFactory,
  coreServices,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  isOwnedBy,
  ownershipServiceRef,
  OwnershipService,
} from '@paved/plugin-ownership-node';
import { TEST_GROUPS, TEST_USERS, testOwnership } from '@paved/testkit';
import express from 'express';
import request from 'supertest';
import { approvalsPlugin } from './plugin';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

/** Paved's policy for paved.approval.decide, as the policy module answers. */
function policyPermissions(ownership: OwnershipService) {
  return mockServices.permissions.mock({
    authorizeConditional: async (requests, options) => {
      const caller = await ownership.caller(options!.credentials);
      let decision: PolicyDecision = { result: AuthorizeResult.DENY };
      if (caller.isAdmin) decision = { result: AuthorizeResult.ALLOW };
      else if (caller.type === 'user') {
        decision = {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'paved',
          resourceType: 'paved-owned-target',
          conditions: isOwnedBy({ groupRefs: caller.groupRefs }),
        };
      }
      return requests.map(() => decision) as any;
    },
  });
}

/** A scaffolder that records the retries it is asked for, and who asked. */
function fakeScaffolder(
  retries: { taskId: string; by: string }[],
  answer: { status: number } = { status: 201 },
) {
  return createBackendPlugin({
    pluginId: 'scaffolder',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          const router = express.Router();
          router.post('/v2/tasks/:taskId/retry', async (req, res) => {
            const credentials = await httpAuth.credentials(req);
            const principal = credentials.principal as any;
            retries.push({
              taskId: req.params.taskId,
              by: principal.userEntityRef ?? `service ${principal.subject}`,
            });
            res.status(answer.status).json({ id: req.params.taskId });
          });
          httpRouter.use(router);
        },
      });
    },
  });
}

const SCAFFOLDER = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('plugin:scaffolder'),
  targetPluginId: 'approvals',
});
const as = (user: string) => mockCredentials.user.header(user);

const ask = (overrides: Record<string, unknown> = {}) => ({
  taskId: 'task-1',
  stepId: 'review',
  kind: 'terraform-plan',
  subjectId: 'plan-1',
  target: 'terraform workspace kestrel-invoices',
  ownerRef: TEST_GROUPS.teamA,
  requesterRef: TEST_USERS.teamA,
  summary: 'Plan: 6 to add, 0 to change, 0 to destroy.',
  ...overrides,
});

describe.each(databases.eachSupportedId())('approvals backend (%s)', id => {
  async function start(
    options: { allowSelfApproval?: boolean; scaffolderStatus?: number } = {},
  ) {
    const knex = await databases.init(id);
    const ownership = testOwnership(options);
    const sent: NotificationSendOptions[] = [];
    const retries: { taskId: string; by: string }[] = [];
    const auditor = mockServices.auditor.mock();
    const events: { eventId: string; outcome: string; meta: any }[] = [];
    auditor.createEvent.mockImplementation(async event => ({
      success: async () => {
        events.push({ ...event, outcome: 'succeeded' } as any);
      },
      fail: async () => {
        events.push({ ...event, outcome: 'failed' } as any);
      },
    }));
    const { server } = await startTestBackend({
      features: [
        approvalsPlugin,
        fakeScaffolder(retries, { status: options.scaffolderStatus ?? 201 }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://portal.test' } },
        }),
        policyPermissions(ownership).factory,
        auditor.factory,
        createServiceFactory({
          service: ownershipServiceRef,
          deps: {},
          factory: () => ownership,
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (n: NotificationSendOptions) => {
              sent.push(n);
            },
          }),
        }),
      ],
    });
    const create = (body = ask()) =>
      request(server)
        .post('/api/approvals/requests')
        .set('authorization', SCAFFOLDER)
        .send(body);
    return { server, sent, retries, events, create, knex };
  }

  it('creates one request per task and plan, however often it is asked, and notifies the owning group once', async () => {
    const { create, sent, knex } = await start();
    const first = await create();
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'pending',
      taskId: 'task-1',
      subjectId: 'plan-1',
      ownerRef: TEST_GROUPS.teamA,
      requesterRef: TEST_USERS.teamA,
      taskUrl: 'http://portal.test/create/tasks/task-1',
      url: `http://portal.test/approvals?request=${first.body.id}`,
    });
    const again = await create();
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const [{ count }] = await knex('paved_approvals__requests').count({
      count: '*',
    });
    expect(Number(count)).toBe(1);
    expect(sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: TEST_GROUPS.teamA,
          excludeEntityRef: TEST_USERS.teamA,
        },
        payload: expect.objectContaining({
          title: 'Approval requested: terraform workspace kestrel-invoices',
          description: expect.stringContaining(
            'Plan: 6 to add, 0 to change, 0 to destroy.',
          ),
          link: `/approvals?request=${first.body.id}`,
        }),
      },
    ]);
    // Another plan of the same task is another request.
    const other = await create(ask({ subjectId: 'plan-2' }));
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
  });

  it('lets only service callers ask, and names a missing field', async () => {
    const { server, create } = await start();
    const byUser = await request(server)
      .post('/api/approvals/requests')
      .set('authorization', as(TEST_USERS.teamA))
      .send(ask());
    expect(byUser.status).toBe(403);
    const bad = await create(ask({ ownerRef: undefined }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('ownerRef');
  });

  it("lets the requester's teammate approve, records who and when, notifies the requester and resumes the task", async () => {
    const { server, create, sent, retries, events } = await start();
    const { body: asked } = await create();
    const before = Date.now();
    const res = await request(server)
      .post(`/api/approvals/requests/${asked.id}/approve`)
      .set('authorization', as(TEST_USERS.teamAMate))
      .send({});
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      resumed: true,
      request: expect.objectContaining({
        status: 'approved',
        decidedBy: TEST_USERS.teamAMate,
      }),
    });
    expect(Date.parse(res.body.request.decidedAt)).toBeGreaterThanOrEqual(
      before - 1000,
    );
    // On the approver's behalf: the task's apply step checks its initiator.
    expect(retries).toEqual([{ taskId: 'task-1', by: TEST_USERS.teamAMate }]);
    expect(sent[1]).toMatchObject({
      recipients: { type: 'entity', entityRef: TEST_USERS.teamA },
      payload: {
        title: `terraform workspace kestrel-invoices: approved by ${TEST_USERS.teamAMate}`,
        link: 'http://portal.test/create/tasks/task-1',
      },
    });
    const read = await request(server)
      .get(`/api/approvals/requests/${asked.id}`)
      .set('authorization', SCAFFOLDER);
    expect(read.body).toMatchObject({
      status: 'approved',
      decidedBy: TEST_USERS.teamAMate,
      decidedAt: res.body.request.decidedAt,
    });
    expect(events.map(e => [e.eventId, e.outcome])).toEqual([
      ['approval-request', 'succeeded'],
      ['approval-approve', 'succeeded'],
    ]);
    expect(events[1].meta).toMatchObject({
      actor: TEST_USERS.teamAMate,
      target: 'terraform workspace kestrel-invoices',
      taskId: 'task-1',
    });
  });

  it('refuses the requester in the default setting, naming the rule, and audits the refusal', async () => {
    const { server, create, retries, events } = await start();
    const { body: asked } = await create();
    const res = await request(server)
      .post(`/api/approvals/requests/${asked.id}/approve`)
      .set('authorization', as(TEST_USERS.teamA))
      .send({});
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      `${TEST_USERS.teamA} may not decide approval request ${asked.id} (terraform workspace kestrel-invoices): they asked for it, and another member of ${TEST_GROUPS.teamA} must decide (paved.permissions.allowSelfApproval is false)`,
    );
    expect(retries).toEqual([]);
    expect(events.map(e => [e.eventId, e.outcome])).toContainEqual([
      'approval-approve',
      'failed',
    ]);
    const list = await request(server)
      .get('/api/approvals/requests?status=pending')
      .set('authorization', as(TEST_USERS.teamA));
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: asked.id,
        canDecide: false,
        cannotDecideReason: res.body.error.message,
      }),
    ]);
  });

  it('lets the requester decide when paved.permissions.allowSelfApproval is true', async () => {
    const { server, create } = await start({ allowSelfApproval: true });
    const { body: asked } = await create();
    const res = await request(server)
      .post(`/api/approvals/requests/${asked.id}/approve`)
      .set('authorization', as(TEST_USERS.teamA))
      .send({});
    expect(res.status).toBe(200);
    expect(res.body.request.decidedBy).toBe(TEST_USERS.teamA);
  });

  it('refuses another team with a 403 naming the permission, and does not show them the request', async () => {
    const { server, create, retries } = await start();
    const { body: asked } = await create();
    for (const action of ['approve', 'reject']) {
      const res = await request(server)
        .post(`/api/approvals/requests/${asked.id}/${action}`)
        .set('authorization', as(TEST_USERS.teamB))
        .send({ reason: 'not ours' });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        `${TEST_USERS.teamB} may not decide approval request ${asked.id} (terraform workspace kestrel-invoices): the policy refused paved.approval.decide; it is owned by ${TEST_GROUPS.teamA}, and only a person who is a member of that group or an admin decides it`,
      );
    }
    const byService = await request(server)
      .post(`/api/approvals/requests/${asked.id}/approve`)
      .set('authorization', SCAFFOLDER)
      .send({});
    expect(byService.status).toBe(403);
    expect(byService.body.error.message).toContain('paved.approval.decide');
    const list = await request(server)
      .get('/api/approvals/requests?status=pending')
      .set('authorization', as(TEST_USERS.teamB));
    expect(list.body.items).toEqual([]);
    const one = await request(server)
      .get(`/api/approvals/requests/${asked.id}`)
      .set('authorization', as(TEST_USERS.teamB));
    expect(one.status).toBe(404);
    expect(retries).toEqual([]);
  });

  it('lets an admin approve, and lists every pending request for them', async () => {
    const { server, create } = await start();
    const { body: asked } = await create();
    const list = await request(server)
      .get('/api/approvals/requests?status=pending')
      .set('authorization', as(TEST_USERS.admin));
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: asked.id, canDecide: true }),
    ]);
    const res = await request(server)
      .post(`/api/approvals/requests/${asked.id}/approve`)
      .set('authorization', as(TEST_USERS.admin))
      .send({});
    expect(res.status).toBe(200);
    expect(res.body.request.decidedBy).toBe(TEST_USERS.admin);
    const pending = await request(server)
      .get('/api/approvals/requests?status=pending')
      .set('authorization', as(TEST_USERS.admin));
    expect(pending.body.items).toEqual([]);
  });

  it('needs a reason to reject, records it, tells the requester and resumes the task to end it', async () => {
    const { server, create, sent, retries } = await start();
    const { body: asked } = await create();
    for (const body of [{}, { reason: '   ' }]) {
      const res = await request(server)
        .post(`/api/approvals/requests/${asked.id}/reject`)
        .set('authorization', as(TEST_USERS.teamAMate))
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /^Invalid request body: reason: a rejection needs a reason/,
      );
    }
    const res = await request(server)
      .post(`/api/approvals/requests/${asked.id}/reject`)
      .set('authorization', as(TEST_USERS.teamAMate))
      .send({ reason: 'db.r6g.4xlarge is over budget' });
    expect(res.status).toBe(200);
    expect(res.body.request).toMatchObject({
      status: 'rejected',
      decidedBy: TEST_USERS.teamAMate,
      reason: 'db.r6g.4xlarge is over budget',
    });
    expect(retries).toEqual([{ taskId: 'task-1', by: TEST_USERS.teamAMate }]);
    expect(sent[1].payload.description).toContain(
      'Reason: db.r6g.4xlarge is over budget',
    );
  });

  it('refuses to decide a decided request again with a 409, whoever asks', async () => {
    const { server, create, retries } = await start();
    const { body: asked } = await create();
    await request(server)
      .post(`/api/approvals/requests/${asked.id}/approve`)
      .set('authorization', as(TEST_USERS.teamAMate))
      .send({})
      .expect(200);
    for (const [user, action] of [
      [TEST_USERS.teamAMate, 'approve'],
      [TEST_USERS.admin, 'reject'],
    ]) {
      const res = await request(server)
        .post(`/api/approvals/requests/${asked.id}/${action}`)
        .set('authorization', as(user))
        .send({ reason: 'changed my mind' });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(
        new RegExp(
          `^Approval request ${asked.id} was already approved by ${TEST_USERS.teamAMate} at `,
        ),
      );
    }
    expect(retries).toHaveLength(1);
    const read = await request(server)
      .get(`/api/approvals/requests/${asked.id}`)
      .set('authorization', as(TEST_USERS.teamA));
    expect(read.body).toMatchObject({ status: 'approved', canDecide: false });
  });

  it('keeps the decision when the scaffolder cannot resume the task, saying so', async () => {
    const { server, create, retries } = await start({ scaffolderStatus: 503 });
    const { body: asked } = await create();
    const res = await request(server)
      .post(`/api/approvals/requests/${asked.id}/approve`)
      .set('authorization', as(TEST_USERS.teamAMate))
      .send({});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      resumed: false,
      request: { status: 'approved', decidedBy: TEST_USERS.teamAMate },
    });
    expect(retries).toHaveLength(1);
  });

  it('says when a request does not exist', async () => {
    const { server } = await start();
    const res = await request(server)
      .post('/api/approvals/requests/nope/approve')
      .set('authorization', as(TEST_USERS.admin))
      .send({});
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('No approval request nope');
  });
});

describe('approvals backend engines', () => {
  it('runs on SQLite and, when npm test provides it, PostgreSQL', () => {
    const ids = databases.eachSupportedId().map(([id]) => id);
    const required = ['SQLITE_3'];
    if (process.env.PAVED_REQUIRE_POSTGRES) {
      required.push(process.env.PAVED_TEST_POSTGRES_ID!);
    }
    expect(ids).toEqual(expect.arrayContaining(required));
  });
});
