/*
 * The permission matrix on the real backend (src/index.ts in a child
 * process, the embedded default with Paved's policy), over HTTP: a member
 * of team A (storefront), a teammate, a member of team B (fulfilment), an
 * admin (platform) and a service caller (an external-access token), against
 * every Paved action that changes a namespace, a repository or a Terraform
 * workspace (each run through the scaffolder as a one-step template), the
 * forge's and the approvals' endpoints, the audit trail, and the
 * scaffolder's task read, cancel, retry and dry run. Each refusal is a 403
 * naming the permission, or a failed step naming the owner, and the test
 * servers record no write; the audit trail holds each refusal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import {
  FakeTerraform,
  GitHubTestServer,
  KubernetesTestServer,
  TEST_GROUPS,
  TEST_USERS,
  fakeTerraformPath,
  startGitHubTestServer,
  startKubernetesTestServer,
} from '@paved/testkit';
import { markerTopicsOf } from '@paved/plugin-github-node';
import {
  ChildBackend,
  killChildBackend,
  startChildBackend,
} from './__testUtils__/childBackend';
import { ROOT, eventually, freePort, logMessage } from './__testUtils__/wiring';

jest.setTimeout(600_000);

const A = TEST_GROUPS.teamA; // group:default/storefront
const SECRET_VALUE = 'matrix-secret-value-never-logged';
const SERVICE_TOKEN = `matrix-${process.pid}-service-token-0123456789`;

/** The Paved actions that change a target, each with its input on team A's targets. */
function actionRows(repoUrl: string, planId: () => string) {
  const namespace = { component: 'shop', environment: 'dev' };
  const bucket = { name: 'shop-bucket', owner: 'storefront' };
  return [
    ['paved:kubernetes:namespace:provision', { ...namespace, owner: A }],
    [
      'paved:kubernetes:apply',
      {
        ...namespace,
        force: true,
        manifests: [
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata:',
          '  name: shop',
          'data:',
          '  image: ghcr.io/fulfilment/shop:evil',
        ].join('\n'),
      },
    ],
    ['paved:kubernetes:rollout:wait', namespace],
    ['paved:kubernetes:namespace:delete', namespace],
    [
      'paved:deploy',
      {
        entityRef: 'component:default/shop',
        environment: 'dev',
        image: 'ghcr.io/fulfilment/shop:evil',
      },
    ],
    ['paved:publish', { repoUrl, owner: A, description: 'Shop' }],
    ['paved:github:branch:protect', { repoUrl }],
    ['paved:github:team:grant', { repoUrl, owner: A }],
    ['paved:github:codeowners:create', { repoUrl, owner: A }],
    ['paved:github:environments:create', { repoUrl, owner: A }],
    ['paved:github:variables:set', { repoUrl, variables: { OWNER: A } }],
    ['paved:github:pages:enable', { repoUrl }],
    ['paved:github:secrets:set', { repoUrl, secrets: { TOKEN: 'x' } }],
    ['paved:github:repo:archive', { repoUrl }],
    ['paved:github:repo:delete', { repoUrl, force: true }],
    [
      'paved:terraform:plan',
      {
        module: 'object-bucket',
        workspace: 'shop-bucket',
        owner: A,
        variables: bucket,
      },
    ],
    ['paved:terraform:apply', () => ({ planId: planId() })],
    // A destruction is only a plan, then the owners' review and its apply.
    [
      'paved:terraform:plan destroy',
      {
        module: 'object-bucket',
        workspace: 'shop-bucket',
        variables: bucket,
        destroy: true,
      },
    ],
    ['paved:terraform:output', { workspace: 'shop-bucket' }],
    [
      'paved:terraform:connection:publish',
      { module: 'object-bucket', workspace: 'shop-bucket', component: 'shop' },
    ],
    [
      'paved:terraform:connection:delete',
      { workspace: 'shop-bucket', component: 'shop' },
    ],
    [
      'paved:terraform:resource:register',
      {
        module: 'object-bucket',
        name: 'shop-bucket',
        workspace: 'shop-bucket',
        component: 'component:default/shop',
        type: 'bucket',
      },
    ],
    ['paved:terraform:resource:unregister', { workspace: 'shop-bucket' }],
  ] as Array<[string, object | (() => object)]>;
}

/** A row's name: its action, then a word when it has more than one row. */
const templateName = (row: string) =>
  `matrix-${row.replace(/^paved:/, '').replace(/[: ]/g, '-')}`;

/**
 * A template of one step running the action of row `row`, each of its
 * input's keys taken from the task's `input` parameter.
 */
function oneStepTemplate(row: string, keys: string[]) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: templateName(row) },
    spec: {
      owner: 'platform',
      type: 'test',
      parameters: [{ properties: { input: { type: 'object' } } }],
      steps: [
        {
          id: 'step',
          name: row,
          action: row.split(' ')[0],
          input: Object.fromEntries(
            keys.map(key => [key, `\${{ parameters.input.${key} }}`]),
          ),
        },
      ],
      output: { planId: '${{ steps.step.output.planId }}' },
    },
  };
}

/** The one-step template of each row, its input keys from the row. */
function rowTemplates(rows: ReturnType<typeof actionRows>) {
  return rows.map(([action, input]) =>
    oneStepTemplate(
      action,
      Object.keys(typeof input === 'function' ? input() : input),
    ),
  );
}

describe('the permission matrix on the real backend', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-matrix-'));
  let github: GitHubTestServer;
  let cluster: KubernetesTestServer;
  let fake: FakeTerraform;
  let backend: ChildBackend | undefined;
  let baseUrl: string;
  let teamAPlanId = '';
  let teamATaskId = '';
  const tokens = new Map<string, string>();

  async function authorization(caller: string) {
    if (caller === 'service') return `Bearer ${SERVICE_TOKEN}`;
    if (!tokens.has(caller)) {
      const res = await fetch(`${baseUrl}/api/auth/picker/refresh`, {
        headers: {
          'x-requested-with': 'XMLHttpRequest',
          'x-paved-picker-user': caller,
        },
      });
      if (!res.ok) throw new Error(`no token for ${caller}: ${res.status}`);
      tokens.set(caller, (await res.json()).backstageIdentity.token);
    }
    return `Bearer ${tokens.get(caller)}`;
  }

  async function api(
    caller: string,
    route: string,
    init: { method?: string; body?: unknown } = {},
  ) {
    const res = await fetch(`${baseUrl}/api${route}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        authorization: await authorization(caller),
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, body };
  }

  /** Runs a one-step template as `caller`; its status, outputs and log. */
  async function runAction(caller: string, action: string, input: object) {
    const created = await api(caller, '/scaffolder/v2/tasks', {
      body: {
        templateRef: `template:default/${templateName(action)}`,
        values: { input },
        // the task secret paved:github:secrets:set reads (TOKEN from x)
        secrets: { x: SECRET_VALUE },
      },
    });
    if (created.status !== 201) {
      throw new Error(
        `${action} as ${caller}: ${created.status} ${JSON.stringify(
          created.body,
        )}`,
      );
    }
    const id: string = created.body.id;
    const task = await eventually(
      `${action} as ${caller} to end`,
      async () => {
        const res = await api(
          'user:default/ana-silva',
          `/scaffolder/v2/tasks/${id}`,
        );
        return ['completed', 'failed'].includes(res.body?.status)
          ? res.body
          : undefined;
      },
      undefined,
      120_000,
    );
    const events = await api(
      'user:default/ana-silva',
      `/scaffolder/v2/tasks/${id}/events`,
    );
    const log = (events.body as any[])
      .filter(e => e.type === 'log' || e.type === 'completion')
      .map(e => logMessage(e.body.message))
      .join('\n');
    const completion = (events.body as any[]).find(
      e => e.type === 'completion',
    );
    return {
      id,
      status: task.status as string,
      output: completion?.body?.output ?? {},
      log,
    };
  }

  /** What the test servers record as a write. */
  function writes() {
    return {
      github: github.requests.filter(r => !/^(GET|GIT) /.test(r.route)).length,
      kubernetes: cluster.requests.filter(r => r.write).length,
      terraform: fake.invocations().length,
    };
  }

  beforeAll(async () => {
    github = await startGitHubTestServer({
      scopes: ['repo', 'admin:org', 'workflow', 'delete_repo'],
    });
    cluster = await startKubernetesTestServer({ rollouts: 'immediate' });
    fake = FakeTerraform.create({ dir: path.join(dir, 'fake') });
    const templates = path.join(dir, 'templates.yaml');
    const rows = actionRows(`${github.host}?owner=kestrel&repo=shop`, () => '');
    fs.writeFileSync(
      templates,
      rowTemplates(rows)
        .map(template => stringifyYaml(template))
        .join('---\n'),
    );
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    const clusterConfig = cluster.appConfig({ clusterName: 'dev' });
    backend = await startChildBackend({
      port,
      dataDir: path.join(dir, 'data'),
      configDir: dir,
      overrides: {
        app: { baseUrl },
        backend: {
          baseUrl,
          listen: { port, host: '127.0.0.1' },
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token: SERVICE_TOKEN, subject: 'matrix-ci' },
              },
            ],
          },
        },
        integrations: { github: [github.integrationConfig()] },
        kubernetes: clusterConfig.kubernetes,
        catalog: {
          locations: [
            {
              type: 'file',
              target: path.join(ROOT, 'catalog/org.yaml'),
              rules: [{ allow: ['Group', 'User'] }],
            },
            {
              type: 'file',
              target: templates,
              rules: [{ allow: ['Template'] }],
            },
          ],
        },
        paved: {
          ...clusterConfig.paved,
          github: { writeInterval: { milliseconds: 0 } },
          terraform: { binary: fakeTerraformPath, environment: fake.env },
          permissions: {
            adminGroups: [TEST_GROUPS.admin],
            allowSelfApproval: false,
          },
        },
      },
    });
    let problem = '';
    await eventually(
      'the organisation and the templates in the catalogue',
      async () => {
        try {
          const users = [
            TEST_USERS.teamA,
            TEST_USERS.teamAMate,
            TEST_USERS.teamB,
            TEST_USERS.admin,
          ];
          for (const user of users) await authorization(user);
          const last = rows[rows.length - 1][0];
          const res = await api(
            TEST_USERS.teamA,
            `/catalog/entities/by-name/template/default/${templateName(last)}`,
          );
          problem = `template read: ${res.status}`;
          return res.status === 200 || undefined;
        } catch (error) {
          problem = String(error);
          return undefined;
        }
      },
      undefined,
      120_000,
    ).catch(error => {
      throw new Error(`${error.message} (${problem}):\n${backend?.output()}`);
    });
    // The policy keeps a user's groups a few seconds: past any answer read
    // before the catalogue held the organisation.
    await new Promise(resolve => setTimeout(resolve, 6000));

    // Team A's targets, made by team A through Paved.
    const namespace = await runAction(
      TEST_USERS.teamA,
      'paved:kubernetes:namespace:provision',
      {
        component: 'shop',
        environment: 'dev',
        owner: A,
      },
    );
    if (namespace.status !== 'completed') {
      throw new Error(
        `team A's namespace was not provisioned:\n${namespace.log}`,
      );
    }
    await github.driver.createRepository('kestrel', 'shop', {
      topics: markerTopicsOf(A),
      files: { 'README.md': '# shop\n' },
    });
    const plan = await runAction(TEST_USERS.teamA, 'paved:terraform:plan', {
      module: 'object-bucket',
      workspace: 'shop-bucket',
      owner: A,
      variables: { name: 'shop-bucket', owner: 'storefront' },
    });
    if (plan.status !== 'completed' || !plan.output.planId) {
      throw new Error(`team A's plan was not made:\n${plan.log}`);
    }
    teamAPlanId = plan.output.planId ?? '';
    teamATaskId = plan.id;
  });

  afterAll(async () => {
    await killChildBackend(backend);
    await github?.close();
    await cluster?.close();
  });

  describe.each([
    ['a member of team B', TEST_USERS.teamB, `${TEST_USERS.teamB} may not`],
    ['a service caller', 'service', 'a service belongs to no group'],
  ])('%s', (_, caller, refusal) => {
    it.each(actionRows('', () => '').map(([action]) => [action]))(
      "is refused %s on team A's target, and nothing is written",
      async action => {
        const [, input] = actionRows(
          `${github.host}?owner=kestrel&repo=shop`,
          () => teamAPlanId,
        ).find(([a]) => a === action)!;
        github.resetRequests();
        cluster.resetRequests();
        const before = writes();
        const run = await runAction(
          caller,
          action,
          typeof input === 'function' ? input() : input,
        );
        expect(run.status).toBe('failed');
        expect(run.log).toContain(refusal);
        expect(run.log).toContain(A);
        expect(run.log).not.toContain(SECRET_VALUE);
        expect(writes()).toEqual({ ...before, github: 0, kubernetes: 0 });
      },
    );
  });

  it.each([
    ['the teammate', TEST_USERS.teamAMate],
    ['an admin', TEST_USERS.admin],
  ])('lets %s past the ownership check of every action', async (_, caller) => {
    for (const [action, input] of actionRows(
      `${github.host}?owner=kestrel&repo=shop`,
      () => teamAPlanId,
    )) {
      // Deletes kept for the end; a destruction's plan is refused to others only.
      if (/delete|archive|destroy/.test(action)) continue;
      const run = await runAction(
        caller,
        action,
        typeof input === 'function' ? input() : input,
      );
      // Allowed past ownership: the step may still stop for another reason
      // (no manifest in the workspace, a plan not approved), never a refusal
      // of the owner.
      expect({ action, log: run.log }).not.toEqual(
        expect.objectContaining({ log: expect.stringContaining('may not') }),
      );
    }
  });

  it("reads, cancels and retries team A's task only for its starter's team and the admins, naming the permission", async () => {
    const route = `/scaffolder/v2/tasks/${teamATaskId}`;
    expect((await api(TEST_USERS.teamA, route)).status).toBe(200);
    expect((await api(TEST_USERS.teamAMate, route)).status).toBe(200);
    expect((await api(TEST_USERS.admin, route)).status).toBe(200);
    const read = await api(TEST_USERS.teamB, route);
    expect(read.status).toBe(403);
    expect(read.body.error.message).toContain('scaffolder.task.read');
    const events = await api(TEST_USERS.teamB, `${route}/events`);
    expect(events.status).toBe(403);
    const cancel = await api(TEST_USERS.teamB, `${route}/cancel`, { body: {} });
    expect(cancel.status).toBe(403);
    expect(cancel.body.error.message).toContain('scaffolder.task.cancel');
    const retry = await api(TEST_USERS.teamB, `${route}/retry`, { body: {} });
    expect(retry.status).toBe(403);
    expect(retry.body.error.message).toMatch(/scaffolder\.task\.(create|read)/);
    const list = await api(TEST_USERS.teamB, '/scaffolder/v2/tasks');
    expect(list.status).toBe(200);
    expect(list.body.tasks.map((t: any) => t.id)).not.toContain(teamATaskId);
  });

  it('lets only admins dry-run, naming the permission', async () => {
    const body = {
      template: oneStepTemplate('paved:terraform:output', ['workspace']),
      values: { input: { workspace: 'shop-bucket' } },
      directoryContents: [],
    };
    const refused = await api(TEST_USERS.teamA, '/scaffolder/v2/dry-run', {
      body,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('scaffolder.template.dry-run');
    const before = fake.invocations().length;
    const allowed = await api(TEST_USERS.admin, '/scaffolder/v2/dry-run', {
      body,
    });
    expect(allowed.status).toBe(200);
    expect(fake.invocations().length).toBe(before);
  });

  it("refuses approvals of team A's plans to team B, and the audit trail to all but admins", async () => {
    const list = await api(
      TEST_USERS.teamB,
      '/approvals/requests?status=pending',
    );
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    const forged = await api(
      TEST_USERS.teamB,
      '/approvals/requests/no-such/approve',
      { body: {} },
    );
    expect([403, 404]).toContain(forged.status);
    const audit = await api(TEST_USERS.teamA, '/audit/events');
    expect(audit.status).toBe(403);
    expect(audit.body.error.message).toContain('paved.audit.read');
  });

  it("deletes team A's things only for team A and admins, last; the trail holds every refusal", async () => {
    const deleteRepo = actionRows(
      `${github.host}?owner=kestrel&repo=shop`,
      () => '',
    ).find(([a]) => a === 'paved:github:repo:delete')![1] as object;
    const deleted = await runAction(
      TEST_USERS.teamAMate,
      'paved:github:repo:delete',
      deleteRepo,
    );
    expect(deleted.status).toBe('completed');
    expect(github.driver.repository('kestrel', 'shop')).toBeUndefined();
    const namespace = await runAction(
      TEST_USERS.admin,
      'paved:kubernetes:namespace:delete',
      {
        component: 'shop',
        environment: 'dev',
      },
    );
    expect(namespace.status).toBe('completed');

    await new Promise(resolve => setTimeout(resolve, 1500)); // the audit drain
    const trail = await api(
      TEST_USERS.admin,
      `/audit/events?actor=${encodeURIComponent(
        TEST_USERS.teamB,
      )}&status=failed&limit=1000`,
    );
    expect(trail.status).toBe(200);
    const refusedTargets = new Set(
      trail.body.events
        .filter((e: any) => /may not/.test(e.error ?? ''))
        .map((e: any) => e.eventId),
    );
    expect(refusedTargets.size).toBeGreaterThanOrEqual(8);
  });
});
