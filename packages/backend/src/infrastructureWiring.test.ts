/*
 * Infrastructure that belongs to a component, on the real backend (src/index.ts
 * in a child process: scaffolder, catalogue, events, approvals, Paved's
 * policy; the Kubernetes test server; the stand-in terraform). Team A's
 * component orders-api has a dev namespace Paved provisioned. A member of
 * team A creates a database for it with the postgres-database template, a
 * teammate approves the plan, and the task applies it: the Resource entity
 * is in the catalogue (ownedBy team A, a dependency of the component, which
 * dependsOn it) and the Secret orders-db-connection is in orders-api-dev;
 * the password is in neither the task log, its output nor the entity. The
 * destroy-infrastructure template then plans the destruction, the teammate
 * approves it, and the database, the Secret and the entity are gone. A
 * component of team B is refused at the check, and nothing is planned.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import {
  FakeTerraform,
  KubernetesTestServer,
  TEST_GROUPS,
  TEST_USERS,
  fakeTerraformPath,
  startKubernetesTestServer,
} from '@paved/testkit';
import {
  ChildBackend,
  killChildBackend,
  startChildBackend,
} from './__testUtils__/childBackend';
import { ROOT, eventually, freePort, logMessage } from './__testUtils__/wiring';
import { callApi, pickerAuthorization } from './__testUtils__/pickerApi';

jest.setTimeout(600_000);

const PASSWORD = 'infra-wiring-db-password-5f1e';
const A = TEST_GROUPS.teamA; // group:default/storefront

function component(name: string, owner: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: { 'backstage.io/kubernetes-id': name },
    },
    spec: { type: 'service', lifecycle: 'experimental', owner },
  };
}

/** A template of one step: paved:kubernetes:namespace:provision. */
const provisionTemplate = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'infra-provision-namespace' },
  spec: {
    owner: 'platform',
    type: 'test',
    parameters: [{ properties: { component: { type: 'string' } } }],
    steps: [
      {
        id: 'provision',
        name: 'Provision',
        action: 'paved:kubernetes:namespace:provision',
        input: {
          component: '${{ parameters.component }}',
          environment: 'dev',
          owner: A,
        },
      },
    ],
  },
};

describe('infrastructure that belongs to a component, on the real backend', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-infra-'));
  let cluster: KubernetesTestServer;
  let fake: FakeTerraform;
  let backend: ChildBackend | undefined;
  let baseUrl: string;
  let authorization: (user: string) => Promise<string>;
  async function api(caller: string, route: string, body?: unknown) {
    return callApi(baseUrl, await authorization(caller), route, body);
  }

  /** Starts a task as `caller`; its id. */
  async function start(caller: string, template: string, values: object) {
    const created = await api(caller, '/scaffolder/v2/tasks', {
      templateRef: `template:default/${template}`,
      values,
    });
    if (created.status !== 201) {
      throw new Error(
        `${template}: ${created.status} ${JSON.stringify(created.body)}`,
      );
    }
    return created.body.id as string;
  }

  /** Waits until the task ends (failed includes stopped at a review); its status, log and output. */
  async function ended(id: string, not?: string) {
    const task = await eventually(
      `task ${id} to end`,
      async () => {
        const res = await api(TEST_USERS.admin, `/scaffolder/v2/tasks/${id}`);
        return ['completed', 'failed'].includes(res.body?.status) &&
          res.body?.status !== not
          ? res.body
          : undefined;
      },
      () => {
        if (backend?.child.exitCode !== null) {
          throw new Error(`the backend exited:\n${backend?.output()}`);
        }
      },
      180_000,
    );
    const events = (
      await api(TEST_USERS.admin, `/scaffolder/v2/tasks/${id}/events`)
    ).body as any[];
    const log = events
      .filter(e => e.type === 'log' || e.type === 'completion')
      .map(e => logMessage(e.body.message))
      .join('\n');
    const completion = events.filter(e => e.type === 'completion').pop();
    return {
      status: task.status as string,
      log,
      everything: JSON.stringify([task, events]),
      output: completion?.body?.output ?? {},
    };
  }

  /** A teammate approves the task's pending plan; the approvals backend resumes the task. */
  async function teammateApproves(taskId: string) {
    const request = await eventually('the pending approval', async () => {
      const { body } = await api(
        TEST_USERS.teamAMate,
        '/approvals/requests?status=pending',
      );
      return body?.items?.find((r: any) => r.taskId === taskId);
    });
    const decided = await api(
      TEST_USERS.teamAMate,
      `/approvals/requests/${request.id}/approve`,
      {},
    );
    expect(decided.status).toBe(200);
  }

  const entity = async (ref: string) => {
    const res = await api(TEST_USERS.teamA, `/catalog/entities/by-name/${ref}`);
    return res.status === 200 ? res.body : undefined;
  };
  const secret = () =>
    cluster.driver.getObject({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'orders-api-dev',
      name: 'orders-db-connection',
    });

  beforeAll(async () => {
    cluster = await startKubernetesTestServer({ rollouts: 'immediate' });
    fake = FakeTerraform.create({ dir: path.join(dir, 'fake') });
    fake.setScenario({
      outputs: {
        endpoint: { value: 'orders.db.kestrel.internal' },
        port: { value: '5432' },
        database_name: { value: '${var.name}' },
        username: { value: 'paved' },
        secret_arn: {
          value: 'arn:aws:secretsmanager:eu-west-1:1:secret:orders',
        },
        master_password: { value: PASSWORD, sensitive: true },
      },
    });
    const catalogFile = path.join(dir, 'catalog.yaml');
    fs.writeFileSync(
      catalogFile,
      [
        component('orders-api', 'storefront'),
        component('parcels', 'fulfilment'),
        provisionTemplate,
      ]
        .map(e => stringifyYaml(e))
        .join('---\n'),
    );
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    authorization = pickerAuthorization(baseUrl);
    const clusterConfig = cluster.appConfig({ clusterName: 'dev' });
    backend = await startChildBackend({
      port,
      dataDir: path.join(dir, 'data'),
      configDir: dir,
      overrides: {
        app: { baseUrl },
        backend: { baseUrl, listen: { port, host: '127.0.0.1' } },
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
              target: catalogFile,
              rules: [{ allow: ['Component', 'Template'] }],
            },
            ...['postgres-database', 'destroy-infrastructure'].map(name => ({
              type: 'file',
              target: path.join(ROOT, 'templates', name, 'template.yaml'),
              rules: [{ allow: ['Template'] }],
            })),
          ],
        },
        paved: {
          ...clusterConfig.paved,
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
      'the organisation, the components and the templates in the catalogue',
      async () => {
        try {
          for (const user of Object.values(TEST_USERS))
            await authorization(user);
          for (const ref of [
            'component/default/orders-api',
            'component/default/parcels',
            'template/default/postgres-database',
            'template/default/destroy-infrastructure',
            'template/default/infra-provision-namespace',
          ]) {
            problem = `${ref} not yet in the catalogue`;
            if (!(await entity(ref))) return undefined;
          }
          return true;
        } catch (error) {
          problem = String(error);
          return undefined;
        }
      },
      undefined,
      180_000,
    ).catch(error => {
      throw new Error(`${error.message} (${problem}):\n${backend?.output()}`);
    });
    // The policy keeps a user's groups a few seconds: past any answer read
    // before the catalogue held the organisation.
    await new Promise(resolve => setTimeout(resolve, 6000));
    const provisioned = await ended(
      await start(TEST_USERS.teamA, 'infra-provision-namespace', {
        component: 'orders-api',
      }),
    );
    if (provisioned.status !== 'completed') {
      throw new Error(
        `orders-api-dev was not provisioned:\n${provisioned.log}`,
      );
    }
  });

  afterAll(async () => {
    await killChildBackend(backend);
    await cluster?.close();
  });

  it('refuses a component of another team at the check, planning nothing', async () => {
    const before = fake.invocations().length;
    const run = await ended(
      await start(TEST_USERS.teamA, 'postgres-database', {
        component: 'component:default/parcels',
        name: 'parcels',
      }),
    );
    expect(run.status).toBe('failed');
    expect(run.log).toContain(
      'component: component:default/parcels is owned by group:default/fulfilment, which is not one of your teams',
    );
    expect(run.log).not.toMatch(/^plan: /m);
    expect(fake.invocations()).toHaveLength(before);
    expect(await entity('resource/default/parcels-db')).toBeUndefined();
  });

  it('creates a database for a component: a teammate approves, and the Resource, its relations and the Secret are there; then destroys it with approval, and all three are gone', async () => {
    const created = await start(TEST_USERS.teamA, 'postgres-database', {
      component: 'component:default/orders-api',
      name: 'orders',
    });
    const stopped = await ended(created);
    expect(stopped.status).toBe('failed');
    expect(stopped.log).toMatch(
      /Waiting for approval by group:default\/storefront/,
    );
    expect(secret()).toBeUndefined();

    await teammateApproves(created);
    const done = await ended(created, 'failed');
    if (done.status !== 'completed') throw new Error(done.log);

    // The Resource, owned by the component's owner, a dependency of the component.
    const resource = await entity('resource/default/orders-db');
    expect(resource).toMatchObject({
      spec: {
        type: 'database',
        owner: A,
        dependencyOf: ['component:default/orders-api'],
      },
      metadata: {
        annotations: {
          'paved.dev/terraform-workspace': 'orders-db',
          'paved.dev/terraform-module': 'postgres-database',
        },
      },
    });
    expect(resource.relations).toEqual(
      expect.arrayContaining([
        { type: 'ownedBy', targetRef: A },
        { type: 'dependencyOf', targetRef: 'component:default/orders-api' },
      ]),
    );
    const dependsOn = await eventually(
      'the component to depend on it',
      async () => {
        const c = await entity('component/default/orders-api');
        return c?.relations?.find(
          (r: any) =>
            r.type === 'dependsOn' &&
            r.targetRef === 'resource:default/orders-db',
        );
      },
    );
    expect(dependsOn).toBeDefined();

    // The Secret, labelled, in the component's namespace.
    const written = secret()!;
    expect(written.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'paved',
      'backstage.io/kubernetes-id': 'orders-api',
    });
    expect(Buffer.from(written.data.PGPASSWORD, 'base64').toString()).toBe(
      PASSWORD,
    );
    expect(Buffer.from(written.data.PGHOST, 'base64').toString()).toBe(
      'orders.db.kestrel.internal',
    );

    // No secret value in the task, its output or the entity.
    const base64 = Buffer.from(PASSWORD).toString('base64');
    for (const text of [done.everything, JSON.stringify(resource)]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(base64);
    }
    expect(done.log).toContain(
      'Wrote Secret orders-db-connection (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD) into namespace orders-api-dev',
    );

    // Destroy: plan, the teammate approves, destroy, Secret, entity.
    const destroyed = await start(TEST_USERS.teamA, 'destroy-infrastructure', {
      component: 'component:default/orders-api',
      resource: 'resource:default/orders-db',
    });
    const waiting = await ended(destroyed);
    expect(waiting.status).toBe('failed');
    expect(waiting.log).toMatch(
      /Waiting for approval by group:default\/storefront/,
    );
    expect(secret()).toBeDefined();
    await teammateApproves(destroyed);
    const gone = await ended(destroyed, 'failed');
    if (gone.status !== 'completed') throw new Error(gone.log);
    expect(fake.invocations().some(i => i.argv.includes('-destroy'))).toBe(
      true,
    );
    expect(secret()).toBeUndefined();
    expect(await entity('resource/default/orders-db')).toBeUndefined();
    await eventually('the component to depend on nothing', async () => {
      const c = await entity('component/default/orders-api');
      return c?.relations?.some((r: any) => r.type === 'dependsOn')
        ? undefined
        : true;
    });
    expect(gone.everything).not.toContain(PASSWORD);
    // Nor in anything the backend logged.
    expect(backend!.output()).toContain('Registered the Resource');
    expect(backend!.output()).not.toContain(PASSWORD);
    expect(backend!.output()).not.toContain(base64);
  });
});
