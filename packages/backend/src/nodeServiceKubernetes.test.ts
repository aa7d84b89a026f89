/*
 * The Node.js service golden path and its dev environment. With a cluster,
 * "Create Component" runs for real through the scaffolder: it publishes to
 * the local forge, registers the component in a real catalogue, and then the
 * template's Kubernetes steps provision the namespace, apply the template's
 * manifests and wait for the rollout the test server drives. The embedded
 * default (no cluster) runs the template in dry runs: with the box unticked it
 * completes, ticked it stops saying no cluster is configured.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import catalogScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
// app-config.yaml keeps task workspaces in the database (taskRecovery)
import scaffolderWorkspaceDatabase from '@backstage/plugin-scaffolder-backend-module-workspace-database';
import pavedGitHubActions from '@paved/plugin-scaffolder-backend-module-github';
import pavedTemplateActions from '@paved/plugin-scaffolder-backend-module-templates';
import pavedKubernetesActions from '@paved/plugin-scaffolder-backend-module-kubernetes';
import catalogModuleForge from '@paved/plugin-catalog-backend-module-forge';
import {
  NAMESPACE_OBJECT_NAMES,
  PAVED_LABELS,
  checkGuardrails,
  parseManifests,
  readKubernetesProvisionerConfig,
} from '@paved/plugin-kubernetes-node';
import { ConfigReader } from '@backstage/config';
import {
  KubernetesTestServer,
  startKubernetesTestServer,
  testOrganisation,
} from '@paved/testkit';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { forgeUrlReaderFactory } from './features/forgeUrlReader';
import { publishingFeatureLoader } from './features/publishing';
import {
  ROOT,
  call,
  embeddedDefault,
  eventually,
  freePort,
  logMessage,
  templateFiles,
} from './__testUtils__/wiring';

const TEMPLATE_DIR = path.join(ROOT, 'templates/node-service');
const TEARDOWN_DIR = path.join(ROOT, 'templates/delete-dev-environment');
const REDEPLOY_DIR = path.join(ROOT, 'templates/deploy-dev-environment');
const MANIFESTS = ['deployment', 'service', 'hpa', 'pdb'].map(
  f => `kubernetes/${f}.yaml`,
);
const KUBERNETES_STEPS = ['namespace', 'deploy', 'rollout'];
const user = mockCredentials.user.header();

/** Calls the test backend as a signed-in user. */
const callAsUser = (baseUrl: string, route: string, body?: unknown) =>
  call(baseUrl, user, route, body);

const values = {
  name: 'invoice-service',
  description: 'Invoices',
  // A group of the sample organisation (loaded below): paved:publish records it.
  owner: 'group:default/fulfilment',
  repoUrl: 'github.com?owner=kestrel&repo=invoice-service',
};

describe('the node-service template without a cluster (the embedded default)', () => {
  jest.setTimeout(60_000);
  const forge = createMockDirectory();
  let scaffolder: string;

  beforeAll(async () => {
    const data = await embeddedDefault();
    if (
      JSON.stringify(data.kubernetes.clusterLocatorMethods) !==
      '[{"type":"config","clusters":[]}]'
    ) {
      throw new Error('app-config.yaml is expected to configure no cluster');
    }
    const { server } = await startTestBackend({
      features: [
        scaffolderBackend,
        scaffolderWorkspaceDatabase,
        pavedGitHubActions,
        // the template's check reads the owner group from the catalogue
        pavedTemplateActions,
        catalogServiceMock.factory({ entities: testOrganisation() }),
        publishingFeatureLoader,
        pavedKubernetesActions,
        mockServices.rootConfig.factory({
          data: {
            ...data,
            permission: { enabled: false },
            paved: { ...data.paved, forge: { directory: forge.path } },
          },
        }),
      ],
    });
    scaffolder = `http://localhost:${server.port()}/api/scaffolder`;
  });

  async function dryRun(extra: Record<string, unknown>) {
    const template = parseYaml(
      fs.readFileSync(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
    );
    return callAsUser(scaffolder, '/v2/dry-run', {
      template,
      values: { ...values, ...extra },
      directoryContents: templateFiles(TEMPLATE_DIR),
    });
  }

  it('completes with the box unticked, skipping the Kubernetes steps, and the repository gets manifests that pass the guardrails', async () => {
    const run = await dryRun({
      deploy: false,
      image: 'ghcr.io/kestrel/invoice-service:0.1.0',
    });
    expect(run.status).toBe(200);
    const log: any[] = run.body.log;
    expect(log.filter(l => l.body.status === 'failed')).toEqual([]);
    expect(
      log
        .filter(l => KUBERNETES_STEPS.includes(l.body.stepId) && l.body.status)
        .map(l => `${l.body.status}: ${logMessage(l.body.message)}`),
    ).toEqual(
      KUBERNETES_STEPS.flatMap(id => [
        expect.stringMatching(/^processing: Beginning step /),
        `skipped: Skipping step ${id} because its if condition was false`,
      ]),
    );

    // The workspace as published: the manifests, rendered.
    const file = (p: string) =>
      Buffer.from(
        run.body.directoryContents.find((f: any) => f.path === p).base64Content,
        'base64',
      ).toString('utf8');
    const settings = readKubernetesProvisionerConfig(
      new ConfigReader(await embeddedDefault()),
    );
    const manifests = MANIFESTS.flatMap(p =>
      parseManifests(file(p), {
        source: p,
        maxBytes: settings.maxManifestBytes,
        maxDocuments: settings.maxDocuments,
      }),
    );
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Deployment/invoice-service',
      'Service/invoice-service',
      'HorizontalPodAutoscaler/invoice-service',
      'PodDisruptionBudget/invoice-service',
    ]);
    // Every guardrail of the driver, with the allowed kinds of app-config.yaml.
    expect(
      checkGuardrails(manifests, {
        namespace: 'invoice-service-dev',
        component: 'invoice-service',
        environment: 'dev',
        allowedKinds: settings.allowedKinds,
      }),
    ).toEqual([]);
    const pod = (manifests[0] as any).spec.template;
    expect(pod.spec.containers[0].image).toBe(
      'ghcr.io/kestrel/invoice-service:0.1.0',
    );
    // The placeholder's port setting only comes with the placeholder.
    expect(pod.spec.containers[0].env).toEqual([
      { name: 'PORT', value: '8080' },
      { name: 'SERVICE_NAME', value: 'invoice-service' },
    ]);
    // The label convention, on every object and on the pods.
    for (const labels of [
      ...manifests.map(m => m.metadata.labels),
      pod.metadata.labels,
    ]) {
      expect(labels?.[PAVED_LABELS.kubernetesId]).toBe('invoice-service');
    }
  });

  it('fails at the namespace step with the box ticked, saying no cluster is configured', async () => {
    const run = await dryRun({ deploy: true, size: 'small' });
    expect(run.status).toBe(404);
    expect(run.body.error).toEqual({
      name: 'NotFoundError',
      message:
        'No Kubernetes cluster is configured for Paved: add one under kubernetes.clusterLocatorMethods (type: config) or paved.kubernetes.clusters in app-config',
    });
  });

  it('offers Retry on the task page, as its dev environment steps ask a developer to press it', async () => {
    // Backstage 1.55 shows the Retry button only for templates recovering by startOver.
    for (const dir of ['node-service', 'delete-dev-environment']) {
      const template = parseYaml(
        fs.readFileSync(
          path.join(ROOT, 'templates', dir, 'template.yaml'),
          'utf8',
        ),
      );
      expect(template.spec.EXPERIMENTAL_recovery).toEqual({
        EXPERIMENTAL_strategy: 'startOver',
      });
    }
  });

  it('refuses an unpinned image in the form, before any step runs', async () => {
    for (const image of ['ghcr.io/kestrel/app:latest', 'ghcr.io/kestrel/app']) {
      const run = await dryRun({ deploy: true, image });
      expect(run.status).toBe(400);
      expect(JSON.stringify(run.body.errors)).toContain(
        'instance.deploy is not exactly one from',
      );
    }
    // The same form with a pinned image gets as far as the cluster.
    const pinned = await dryRun({
      deploy: true,
      image: 'ghcr.io/kestrel/app:1.0.0',
    });
    expect(pinned.status).toBe(404);
  });
});

describe('the node-service template with a cluster', () => {
  jest.setTimeout(120_000);
  const forge = createMockDirectory();
  let cluster: KubernetesTestServer;
  let baseUrl: string;

  beforeAll(async () => {
    cluster = await startKubernetesTestServer({ rollouts: 'manual' });
    const data = await embeddedDefault();
    const { server } = await startTestBackend({
      features: [
        catalogBackend,
        catalogScaffolderEntityModel,
        // Source locations on the forge, which deploy-dev-environment reads.
        catalogModuleForge,
        scaffolderBackend,
        scaffolderWorkspaceDatabase,
        pavedGitHubActions,
        pavedTemplateActions,
        publishingFeatureLoader,
        pavedKubernetesActions,
        forgeUrlReaderFactory,
        mockServices.rootConfig.factory({
          data: {
            ...data,
            // Forge URLs name this backend; nothing listens there, the
            // forge's UrlReader reads them from disk.
            backend: { baseUrl: `http://127.0.0.1:${await freePort()}` },
            kubernetes: cluster.appConfig({ clusterName: 'dev' }).kubernetes,
            catalog: {
              ...data.catalog,
              locations: [
                ...[TEMPLATE_DIR, TEARDOWN_DIR, REDEPLOY_DIR].map(dir => ({
                  type: 'file',
                  target: path.join(dir, 'template.yaml'),
                  rules: [{ allow: ['Template'] }],
                })),
                {
                  type: 'file',
                  target: path.join(ROOT, 'catalog/org.yaml'),
                  rules: [{ allow: ['Group', 'User'] }],
                },
              ],
            },
            permission: { enabled: false },
            paved: { ...data.paved, forge: { directory: forge.path } },
          },
        }),
      ],
    });
    baseUrl = `http://localhost:${server.port()}`;
    await eventually('the templates in the catalogue', async () => {
      for (const ref of [
        'template/default/node-service',
        'template/default/delete-dev-environment',
        'template/default/deploy-dev-environment',
        'group/default/fulfilment',
      ]) {
        const res = await callAsUser(
          baseUrl,
          `/api/catalog/entities/by-name/${ref}`,
        );
        if (res.status !== 200) return undefined;
      }
      return true;
    });
  });

  afterAll(async () => {
    await cluster?.close();
  });

  async function taskState(taskId: string) {
    const task = await callAsUser(
      baseUrl,
      `/api/scaffolder/v2/tasks/${taskId}`,
    );
    const events = await callAsUser(
      baseUrl,
      `/api/scaffolder/v2/tasks/${taskId}/events`,
    );
    const log: any[] = events.body.filter((e: any) => e.type === 'log');
    return {
      status: task.body.status as string,
      log: log.map(
        (e: any) => `${e.body.stepId}: ${logMessage(e.body.message)}`,
      ),
      /** The steps in the order they started. */
      order: [
        ...new Set<string>(log.map((e: any) => e.body.stepId).filter(Boolean)),
      ],
      messages: (stepId: string): string[] =>
        log
          .filter((e: any) => e.body.stepId === stepId)
          .map((e: any) => logMessage(e.body.message)),
      statusOf: (stepId: string): string | undefined =>
        log
          .filter((e: any) => e.body.stepId === stepId && e.body.status)
          .map((e: any) => e.body.status)
          .pop(),
    };
  }

  /** Polls until `check` gives a value, failing at once with the task's log if the task ends first. */
  async function whileRunning<T>(
    taskId: string,
    what: string,
    check: (state: Awaited<ReturnType<typeof taskState>>) => T | undefined,
  ): Promise<T> {
    let ended: Error | undefined;
    return eventually(
      what,
      async () => {
        const state = await taskState(taskId);
        const found = check(state);
        if (
          found === undefined &&
          !['open', 'processing'].includes(state.status)
        ) {
          ended = new Error(
            `the task ended (${state.status}) before ${what}:\n${state.log.join(
              '\n',
            )}`,
          );
        }
        return found;
      },
      () => {
        if (ended) throw ended;
      },
    );
  }

  async function finished(taskId: string) {
    return eventually('the task to finish', async () => {
      const state = await taskState(taskId);
      return ['completed', 'failed'].includes(state.status) ? state : undefined;
    });
  }

  it('creates the component, provisions its dev namespace, deploys the manifests and waits for the rollout', async () => {
    const namespace = 'invoice-service-dev';
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace,
      name: 'invoice-service',
    };
    const created = await callAsUser(baseUrl, '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/node-service',
      values: { ...values, deploy: true, size: 'medium' },
    });
    expect(created.status).toBe(201);
    const taskId = created.body.id;

    // The rollout waits while the Deployment is not available.
    await whileRunning(taskId, 'the Deployment is in the cluster', () =>
      cluster.driver.getObject(deployment),
    );
    cluster.driver.progressRollout(deployment, {
      updated: 1,
      ready: 0,
      available: 0,
    });
    const waiting = await whileRunning(taskId, 'a progress line', state =>
      state
        .messages('rollout')
        .some(m => m.includes('1/1 replicas updated, 0 available'))
        ? state
        : undefined,
    );
    expect(waiting.status).toBe('processing');
    expect(waiting.statusOf('rollout')).toBe('processing');
    cluster.driver.completeRollout(deployment);

    const done = await finished(taskId);
    expect(done.status).toBe('completed');
    // After the repository is published, hardened and registered.
    expect(done.order.slice(-4)).toEqual(['register', ...KUBERNETES_STEPS]);
    expect(done.order.indexOf('publish')).toBeLessThan(
      done.order.indexOf('register'),
    );
    expect(KUBERNETES_STEPS.map(done.statusOf)).toEqual([
      'completed',
      'completed',
      'completed',
    ]);
    expect(done.messages('rollout')).toContain(
      'Deployment invoice-service: 1/1 replicas updated, 1 available',
    );

    // The namespace and its guardrails, from the form: owner and size.
    const ns = cluster.driver.getObject({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: namespace,
    })!;
    expect(ns.metadata.labels).toMatchObject({
      [PAVED_LABELS.managedBy]: 'paved',
      [PAVED_LABELS.component]: 'invoice-service',
      [PAVED_LABELS.environment]: 'dev',
      [PAVED_LABELS.owner]: 'fulfilment',
      [PAVED_LABELS.size]: 'medium',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
    const get = (apiVersion: string, kind: string, name: string) =>
      cluster.driver.getObject({ apiVersion, kind, namespace, name });
    expect(
      get('v1', 'ResourceQuota', NAMESPACE_OBJECT_NAMES.resourceQuota)!.spec
        .hard,
    ).toMatchObject({ 'requests.cpu': '8', 'limits.memory': '32Gi' });
    expect(
      get('v1', 'LimitRange', NAMESPACE_OBJECT_NAMES.limitRange),
    ).toBeDefined();
    expect(
      get(
        'networking.k8s.io/v1',
        'NetworkPolicy',
        NAMESPACE_OBJECT_NAMES.networkPolicy,
      )!.spec.policyTypes,
    ).toEqual(['Ingress', 'Egress']);
    expect(
      get(
        'rbac.authorization.k8s.io/v1',
        'RoleBinding',
        NAMESPACE_OBJECT_NAMES.roleBinding,
      )!.subjects,
    ).toEqual([expect.objectContaining({ kind: 'Group', name: 'fulfilment' })]);

    // The template's manifests, applied by Paved with no guardrail broken.
    expect(done.messages('deploy')).toEqual(
      expect.arrayContaining([
        'created Deployment/invoice-service',
        'created Service/invoice-service',
        'created HorizontalPodAutoscaler/invoice-service',
        'created PodDisruptionBudget/invoice-service',
      ]),
    );
    const applied = get('apps/v1', 'Deployment', 'invoice-service')!;
    expect(applied.metadata.managedFields.map((f: any) => f.manager)).toContain(
      'paved',
    );
    const container = applied.spec.template.spec.containers[0];
    // Nothing typed in the form: the pinned placeholder, told its port.
    expect(container.image).toBe('ghcr.io/stefanprodan/podinfo:6.7.1');
    expect(container.env).toContainEqual({
      name: 'PODINFO_PORT',
      value: '8080',
    });
    // Read-only root filesystem and a fixed non-root user: what podinfo
    // writes (POST /store, to its data path) goes to an emptyDir.
    const podSpec = applied.spec.template.spec;
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(podSpec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
    });
    const dataPath = container.env.find(
      (e: any) => e.name === 'PODINFO_DATA_PATH',
    )?.value;
    const emptyDirs = podSpec.volumes
      .filter((v: any) => v.emptyDir)
      .map((v: any) => v.name);
    expect(
      container.volumeMounts.find((m: any) => m.mountPath === dataPath)?.name,
    ).toBe(emptyDirs.find((n: string) => n === 'tmp'));

    // The entity the catalogue read from the published catalog-info.yaml
    // finds exactly the template's objects and their pods by the label
    // convention the Backstage kubernetes plugin selects by.
    const entity = await eventually(
      'the component in the catalogue',
      async () => {
        const read = await callAsUser(
          baseUrl,
          '/api/catalog/entities/by-name/component/default/invoice-service',
        );
        return read.status === 200 ? read.body : undefined;
      },
    );
    const id = entity.metadata.annotations['backstage.io/kubernetes-id'];
    expect(id).toBe('invoice-service');
    const selected = (apiVersion: string, kind: string) =>
      cluster.driver
        .listObjects(apiVersion, kind, namespace)
        .filter(o => o.metadata.labels?.[PAVED_LABELS.kubernetesId] === id)
        .map(o => o.metadata.name);
    expect({
      deployments: selected('apps/v1', 'Deployment'),
      services: selected('v1', 'Service'),
      hpas: selected('autoscaling/v2', 'HorizontalPodAutoscaler'),
      pdbs: selected('policy/v1', 'PodDisruptionBudget'),
    }).toEqual({
      deployments: ['invoice-service'],
      services: ['invoice-service'],
      hpas: ['invoice-service'],
      pdbs: ['invoice-service'],
    });
    expect(selected('v1', 'Pod')).toEqual([
      expect.stringMatching(/^invoice-service-\w+-\w+$/),
    ]);

    // Retrying the finished task converges: the Kubernetes steps resume from
    // their checkpoints and write nothing.
    cluster.resetRequests();
    const retry = await callAsUser(
      baseUrl,
      `/api/scaffolder/v2/tasks/${taskId}/retry`,
      {},
    );
    expect(retry.status).toBe(201);
    const again = await finished(taskId);
    expect(again.status).toBe('completed');
    expect(cluster.requests.filter(r => r.write)).toEqual([]);
  });

  it('tears the dev environment down with the delete-dev-environment template, and the deploy-dev-environment template deploys it again', async () => {
    cluster.driver.setRolloutMode('immediate');
    const name = 'ledger-service';
    const namespace = `${name}-dev`;
    const nsRef = { apiVersion: 'v1', kind: 'Namespace', name: namespace };
    const inNamespace = () =>
      [
        ['apps/v1', 'Deployment'],
        ['v1', 'Service'],
        ['autoscaling/v2', 'HorizontalPodAutoscaler'],
        ['policy/v1', 'PodDisruptionBudget'],
        ['v1', 'Pod'],
        ['v1', 'ResourceQuota'],
        ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
      ].flatMap(([apiVersion, kind]) =>
        cluster.driver
          .listObjects(apiVersion, kind, namespace)
          .map(o => `${kind}/${o.metadata.name}`),
      );
    const created = await callAsUser(baseUrl, '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/node-service',
      values: {
        ...values,
        name,
        repoUrl: `github.com?owner=kestrel&repo=${name}`,
        deploy: true,
      },
    });
    const createTask = created.body.id;
    expect((await finished(createTask)).status).toBe('completed');
    const firstUid = cluster.driver.getObject(nsRef)!.metadata.uid;
    expect(inNamespace()).toEqual(
      expect.arrayContaining([
        `Deployment/${name}`,
        `Service/${name}`,
        'ResourceQuota/paved-quota',
      ]),
    );

    // The undo: the namespace and everything in it are gone. Its check
    // step refuses a component the catalogue does not hold yet.
    await eventually('the component in the catalogue', async () => {
      const res = await callAsUser(
        baseUrl,
        `/api/catalog/entities/by-name/component/default/${name}`,
      );
      return res.status === 200 ? true : undefined;
    });
    const teardown = await callAsUser(baseUrl, '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/delete-dev-environment',
      values: { component: `component:default/${name}` },
    });
    expect(teardown.status).toBe(201);
    const tornDown = await finished(teardown.body.id);
    expect(tornDown.status).toBe('completed');
    expect(tornDown.messages('teardown')).toContain(
      `Namespace "${namespace}" is gone`,
    );
    expect(cluster.driver.getObject(nsRef)).toBeUndefined();
    expect(inNamespace()).toEqual([]);

    // Retrying the teardown converges: nothing left to delete, nothing written.
    cluster.resetRequests();
    await callAsUser(
      baseUrl,
      `/api/scaffolder/v2/tasks/${teardown.body.id}/retry`,
      {},
    );
    expect((await finished(teardown.body.id)).status).toBe('completed');
    expect(cluster.requests.filter(r => r.write)).toEqual([]);

    // Retrying the creation task runs nothing again: with task recovery on
    // (app-config.yaml), a retry resumes after the last completed step, and
    // every step of the finished task had completed.
    cluster.resetRequests();
    await callAsUser(
      baseUrl,
      `/api/scaffolder/v2/tasks/${createTask}/retry`,
      {},
    );
    const retried = await finished(createTask);
    expect(retried.status).toBe('completed');
    expect(retried.messages('namespace')).toEqual([
      'Skipping step namespace because it was already completed in a previous run',
    ]);
    expect(cluster.driver.getObject(nsRef)).toBeUndefined();

    // The deploy-dev-environment template deploys it again, from the
    // manifests in the service's repository on the forge.
    const deployed = await callAsUser(baseUrl, '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/deploy-dev-environment',
      values: { component: `component:default/${name}`, size: 'small' },
    });
    expect(deployed.status).toBe(201);
    const redeployed = await finished(deployed.body.id);
    expect({ status: redeployed.status, log: redeployed.log }).toMatchObject({
      status: 'completed',
    });
    expect(redeployed.messages('namespace')).toContain(
      `created Namespace/${namespace}`,
    );
    expect(redeployed.messages('deploy')).toContain(
      `created Deployment/${name}`,
    );
    expect(redeployed.messages('rollout')).toContain(
      `Deployment ${name}: 1/1 replicas updated, 1 available`,
    );
    const secondUid = cluster.driver.getObject(nsRef)!.metadata.uid;
    expect(secondUid).not.toBe(firstUid);
    expect(inNamespace()).toEqual(
      expect.arrayContaining([`Deployment/${name}`, `Service/${name}`]),
    );

    // Retrying the deploy task converges: nothing is written.
    cluster.resetRequests();
    await callAsUser(
      baseUrl,
      `/api/scaffolder/v2/tasks/${deployed.body.id}/retry`,
      {},
    );
    expect((await finished(deployed.body.id)).status).toBe('completed');
    expect(cluster.requests.filter(r => r.write)).toEqual([]);
  });

  it('deploys on Retry once the cluster lets it, from the workspace the scaffolder kept', async () => {
    cluster.driver.setRolloutMode('immediate');
    const name = 'quote-service';
    // The namespace step fails, as with no cluster or one that refuses Paved.
    const allow = cluster.driver.deny({
      verb: 'create',
      resource: 'namespaces',
    });
    const created = await callAsUser(baseUrl, '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/node-service',
      values: {
        ...values,
        name,
        repoUrl: `github.com?owner=kestrel&repo=${name}`,
        deploy: true,
      },
    });
    const taskId = created.body.id;
    const failed = await finished(taskId);
    expect(failed.status).toBe('failed');
    expect(failed.statusOf('register')).toBe('completed');
    expect(failed.statusOf('namespace')).toBe('failed');

    // Retry resumes at the failed step (task recovery, app-config.yaml);
    // deploy applies the manifests fetch-base rendered in the first run,
    // restored from the scaffolder's database into a fresh workspace.
    allow();
    await callAsUser(baseUrl, `/api/scaffolder/v2/tasks/${taskId}/retry`, {});
    const done = await finished(taskId);
    expect({ status: done.status, log: done.log }).toMatchObject({
      status: 'completed',
    });
    for (const step of ['fetch-base', 'publish', 'register']) {
      expect(done.messages(step)).toEqual([
        `Skipping step ${step} because it was already completed in a previous run`,
      ]);
    }
    expect(done.messages('deploy')).toContain(`created Deployment/${name}`);
    expect(done.messages('rollout')).toContain(
      `Deployment ${name}: 1/1 replicas updated, 1 available`,
    );
  });
});
