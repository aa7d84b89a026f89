import {
  ServiceFactoryTester,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import {
  KubernetesProvisioner,
  kubernetesProvisionerServiceFactory,
} from '@paved/plugin-kubernetes-node';
import {
  WORKSPACE_RESOURCES_TOPIC,
  WorkspaceResourceEvent,
  workspaceResourceEntity,
  workspaceResourceRef,
} from '@paved/plugin-terraform-node';
import {
  KubernetesTestServer,
  TEST_GROUPS,
  TEST_USERS,
  parseTemplateExampleSteps,
  startKubernetesTestServer,
} from '@paved/testkit';
import {
  DB_PASSWORD,
  TestTask,
  describeWithRunner,
  postgresScenario,
  runExampleSteps,
} from '../__testUtils__/createTestRunner';
import { createTerraformConnectionDeleteAction } from './terraformConnectionDelete';
import { examples as deleteExamples } from './terraformConnectionDelete.examples';
import { createTerraformConnectionPublishAction } from './terraformConnectionPublish';
import { examples as publishExamples } from './terraformConnectionPublish.examples';
import { createTerraformResourceRegisterAction } from './terraformResourceRegister';
import { examples as registerExamples } from './terraformResourceRegister.examples';
import { createTerraformResourceUnregisterAction } from './terraformResourceUnregister';
import { examples as unregisterExamples } from './terraformResourceUnregister.examples';

jest.setTimeout(120_000);

const SECRET = {
  apiVersion: 'v1',
  kind: 'Secret',
  namespace: 'orders-api-dev',
};

function component(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'experimental', owner },
  };
}

describeWithRunner('the actions connecting a workspace to its component', t => {
  let cluster: KubernetesTestServer;
  let provisioner: KubernetesProvisioner;
  /** The catalogue as the actions read it; the events' subscriber writes it. */
  let entities: Map<string, Entity>;
  let events: DefaultEventsService;

  beforeAll(async () => {
    cluster = await startKubernetesTestServer();
    provisioner = await ServiceFactoryTester.from(
      kubernetesProvisionerServiceFactory,
      {
        dependencies: [
          mockServices.rootConfig.factory({
            data: cluster.appConfig({ clusterName: 'dev' }),
          }),
        ],
      },
    ).getSubject();
    await provisioner.ensureNamespace({
      component: 'orders-api',
      environment: 'dev',
      owner: TEST_GROUPS.teamA,
    });
  });

  afterAll(async () => {
    await cluster?.close();
  });

  beforeEach(async () => {
    entities = new Map([
      ['component:default/orders-api', component('orders-api', 'storefront')],
      ['component:default/parcels', component('parcels', 'fulfilment')],
    ]);
    events = DefaultEventsService.create({
      logger: mockServices.logger.mock(),
    });
    // What the catalogue's paved-resources module does with an event.
    await events.subscribe({
      id: 'catalogue',
      topics: [WORKSPACE_RESOURCES_TOPIC],
      onEvent: async ({ eventPayload }) => {
        const event = eventPayload as WorkspaceResourceEvent;
        if (event.action === 'register') {
          entities.set(
            workspaceResourceRef(event.resource.workspace),
            workspaceResourceEntity(event.resource),
          );
        } else entities.delete(workspaceResourceRef(event.workspace));
      },
    });
    t.fake.setScenario(
      postgresScenario({
        outputs: {
          endpoint: { value: '${aws_db_instance.this.address}' },
          port: { value: '5432' },
          database_name: { value: '${var.name}' },
          username: { value: 'paved' },
          secret_arn: { value: 'arn:aws:secretsmanager:orders' },
          master_password: { value: '${var.master_password}', sensitive: true },
        },
      }),
    );
    const plan = await t.runner.plan({
      module: 'postgres-database',
      workspace: 'orders-db',
      variables: {
        name: 'orders',
        owner: 'storefront',
        master_password: DB_PASSWORD,
      },
    });
    await t.runner.apply({ planId: plan.planId });
    await t.runner.recordWorkspaceOwner({
      workspace: 'orders-db',
      ownerRef: TEST_GROUPS.teamA,
    });
  });

  const options = () => ({
    ...t.options,
    provisioner,
    events,
    catalog: catalogServiceMock.mock({
      getEntityByRef: async (ref: any) => entities.get(String(ref)),
    }),
  });
  const actions = () => [
    createTerraformConnectionPublishAction(options()),
    createTerraformConnectionDeleteAction(options()),
    createTerraformResourceRegisterAction(options()),
    createTerraformResourceUnregisterAction(options()),
  ];
  /** Runs an action's handler with a task's context (the schema's defaults not typed in). */
  const handle = (
    action: { handler: (ctx: any) => Promise<void> },
    ctx: unknown,
  ) => action.handler(ctx);
  const secret = () =>
    cluster.driver.getObject({ ...SECRET, name: 'orders-db-connection' });

  it('runs each example: the Secret and the Resource made, then gone; no value in the task', async () => {
    const task = new TestTask('task-connect', t.logs, {
      user: TEST_USERS.teamA,
    });
    for (const example of [...publishExamples, ...registerExamples]) {
      await runExampleSteps(
        parseTemplateExampleSteps(example.example),
        actions(),
        task,
      );
    }
    const written = secret()!;
    expect(written.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'paved',
      'backstage.io/kubernetes-id': 'orders-api',
    });
    const decoded = Object.fromEntries(
      Object.entries<string>(written.data).map(([k, v]) => [
        k,
        Buffer.from(v, 'base64').toString('utf8'),
      ]),
    );
    expect(decoded).toEqual({
      PGHOST: expect.stringMatching(/^address-/),
      PGPORT: '5432',
      PGDATABASE: 'orders',
      PGUSER: 'paved',
      PGPASSWORD: DB_PASSWORD,
    });
    expect(task.outputs.connection).toEqual({
      namespace: 'orders-api-dev',
      secretName: 'orders-db-connection',
      keys: ['PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD'],
    });
    const resource = entities.get('resource:default/orders-db')!;
    expect(resource.spec).toEqual({
      type: 'database',
      owner: TEST_GROUPS.teamA,
      dependencyOf: ['component:default/orders-api'],
    });
    const everything = JSON.stringify([
      t.logs,
      task.outputs,
      [...task.checkpoints],
      resource,
    ]);
    expect(everything).not.toContain(DB_PASSWORD);
    expect(everything).not.toContain(
      Buffer.from(DB_PASSWORD).toString('base64'),
    );

    // A retried task: the checkpoints answer, nothing is written again.
    cluster.resetRequests();
    await runExampleSteps(
      parseTemplateExampleSteps(publishExamples[0].example),
      actions(),
      task,
    );
    expect(cluster.requests.filter(r => r.write)).toEqual([]);

    for (const example of [...deleteExamples, ...unregisterExamples]) {
      await runExampleSteps(
        parseTemplateExampleSteps(example.example),
        actions(),
        task,
      );
    }
    expect(secret()).toBeUndefined();
    expect(entities.has('resource:default/orders-db')).toBe(false);
    expect(task.outputs.connection).toMatchObject({ deleted: true });
  });

  it("refuses another team's caller and a component of another team, writing nothing", async () => {
    cluster.resetRequests();
    const intruder = new TestTask('task-intruder', t.logs, {
      user: TEST_USERS.teamB,
    });
    const [publish, remove, register, unregister] = actions();
    const input = {
      module: 'postgres-database',
      workspace: 'orders-db',
      component: 'orders-api',
    };
    await expect(handle(publish, intruder.context('c', input))).rejects.toThrow(
      /may not .*storefront/,
    );
    await expect(handle(remove, intruder.context('d', input))).rejects.toThrow(
      /may not .*storefront/,
    );
    await expect(
      handle(unregister, intruder.context('u', { workspace: 'orders-db' })),
    ).rejects.toThrow(/may not .*storefront/);
    // Team A's workspace may not serve team B's component.
    const own = new TestTask('task-own', t.logs, { user: TEST_USERS.teamA });
    await expect(
      handle(
        register,
        own.context('r', {
          ...input,
          name: 'orders',
          type: 'database',
          component: 'component:default/parcels',
        }),
      ),
    ).rejects.toThrow(
      /^component: component:default\/parcels is owned by group:default\/fulfilment/,
    );
    expect(cluster.requests.filter(r => r.write)).toEqual([]);
    expect(secret()).toBeUndefined();
    expect(entities.has('resource:default/orders-db')).toBe(false);
  });

  it('says clearly when the component has no dev namespace, and a dry run writes nothing', async () => {
    const task = new TestTask('task-missing', t.logs, {
      user: TEST_USERS.teamA,
    });
    await expect(
      handle(
        createTerraformConnectionPublishAction(options()),
        task.context('c', {
          module: 'postgres-database',
          workspace: 'orders-db',
          component: 'no-such-app',
        }),
      ),
    ).rejects.toThrow(
      /^component: namespace no-such-app-dev does not exist; the connection details go into the component's dev environment, which Paved provisions/,
    );
    cluster.resetRequests();
    await handle(
      createTerraformConnectionPublishAction(options()),
      task.context(
        'dry',
        {
          module: 'postgres-database',
          workspace: 'orders-db',
          component: 'orders-api',
        },
        { isDryRun: true },
      ),
    );
    expect(task.outputs.dry).toEqual({
      namespace: 'orders-api-dev',
      secretName: 'orders-db-connection',
      keys: ['PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD'],
    });
    expect(cluster.requests.filter(r => r.write)).toEqual([]);
    expect(secret()).toBeUndefined();
  });
});
