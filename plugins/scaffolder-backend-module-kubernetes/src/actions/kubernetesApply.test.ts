import { createMockDirectory } from '@backstage/backend-test-utils';
import { KubernetesProvisioner } from '@paved/plugin-kubernetes-node';
import {
  KubernetesTestServer,
  sampleServiceManifests,
  startKubernetesTestServer,
} from '@paved/testkit';
import yaml from 'yaml';
import { createKubernetesApplyAction } from './kubernetesApply';
import { examples } from './kubernetesApply.examples';
import { recordingCheckpoint } from '../__testUtils__/checkpointStore';
import {
  actionOptions,
  provisionerFor,
  runAction,
} from '../__testUtils__/testCluster';

describe('paved:kubernetes:apply', () => {
  const workspace = createMockDirectory();
  let server: KubernetesTestServer;
  let provisioner: KubernetesProvisioner;

  const setup = async (kubernetes: Record<string, unknown> = {}) => {
    provisioner = await provisionerFor(server, {
      clusterName: 'dev',
      paved: { kubernetes },
    });
    await provisioner.ensureNamespace({
      component: 'payments-api',
      environment: 'dev',
      owner: 'team-payments',
    });
    server.resetRequests();
  };

  beforeEach(async () => {
    workspace.clear();
    workspace.setContent({
      'kubernetes/app.yaml': sampleServiceManifests({ name: 'payments-api' }),
      'kubernetes/config.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: payments-api-flags\ndata:\n  REFUNDS: "on"\n',
    });
    server = await startKubernetesTestServer();
    await setup();
  });

  afterEach(async () => {
    await server.close();
  });

  const run = (
    input: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) =>
    runAction(
      createKubernetesApplyAction(actionOptions(provisioner)),
      input,
      extra,
      workspace.path,
    );

  it('runs every example in order against the cluster', async () => {
    const [files, inline, force] = examples.map(
      e => yaml.parse(e.example).steps[0].input,
    );

    const first = run(files);
    await first.done;
    expect(first.ctx.output).toHaveBeenCalledWith(
      'namespace',
      'payments-api-dev',
    );
    expect(first.ctx.output).toHaveBeenCalledWith(
      'created',
      expect.arrayContaining([
        'Deployment/payments-api',
        'ConfigMap/payments-api-flags',
      ]),
    );
    expect(server.requests.filter(r => r.write)).toHaveLength(11);

    const second = run(inline);
    await second.done;
    expect(second.ctx.output).toHaveBeenCalledWith('created', [
      'ConfigMap/payments-api-settings',
    ]);

    // Someone scales by hand; the forced apply takes .spec.replicas back.
    server.driver.updateAs(
      'kubectl-scale',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'payments-api-dev',
        name: 'payments-api',
      },
      { spec: { replicas: 9 } },
    );
    const third = run(force);
    await third.done;
    expect(third.ctx.output).toHaveBeenCalledWith('updated', [
      'Deployment/payments-api',
    ]);
    const deployment = server.driver.getObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'payments-api-dev',
      name: 'payments-api',
    })!;
    expect(deployment.spec.replicas).toBe(2);
  });

  it('writes nothing when run again, and checkpoints under a key naming the target and the manifests', async () => {
    const { keys, checkpoint } = recordingCheckpoint();
    const input = {
      component: 'payments-api',
      environment: 'dev',
      manifestPaths: ['kubernetes/app.yaml'],
    };
    await run(input, { checkpoint }).done;
    server.resetRequests();
    const again = run(input, { checkpoint });
    await again.done;
    expect(again.ctx.output).toHaveBeenCalledWith('created', []);
    expect(server.requests.filter(r => r.write)).toEqual([]);
    expect(keys[0]).toMatch(
      /^kubernetes\.apply\.dev\.payments-api-dev\.[0-9a-f]{12}$/,
    );
    expect(keys[1]).toBe(keys[0]);
  });

  it('shows in a dry run what it would apply, with Secret values redacted, and applies nothing', async () => {
    workspace.addContent({
      'kubernetes/secret.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n',
    });
    const { ctx, logger, done } = run(
      {
        component: 'payments-api',
        environment: 'dev',
        manifestPaths: ['kubernetes/config.yaml', 'kubernetes/secret.yaml'],
      },
      { isDryRun: true },
    );
    await done;
    const lines = logger.info.mock.calls.map(c => String(c[0]));
    expect(lines.slice(0, 2)).toEqual([
      'would create Secret/db',
      'would create ConfigMap/payments-api-flags',
    ]);
    expect(lines.join('\n')).toContain(
      'backstage.io/kubernetes-id: payments-api',
    );
    expect(lines.join('\n')).toContain('password: <redacted>');
    expect(lines.join('\n')).not.toContain('hunter2');
    expect(ctx.output).toHaveBeenCalledWith('created', [
      'Secret/db',
      'ConfigMap/payments-api-flags',
    ]);
    expect(server.requests.filter(r => r.write)).toEqual([]);
  });

  it('rejects manifests that break guardrails, naming the object and field, and applies nothing (reading only whose the namespace is)', async () => {
    workspace.addContent({
      'kubernetes/bad.yaml': sampleServiceManifests({
        name: 'payments-api',
        image: 'nginx',
      }).replace('runAsNonRoot: true', 'runAsUser: 0'),
    });
    const { ctx, done } = run({
      component: 'payments-api',
      environment: 'dev',
      manifestPaths: ['kubernetes/bad.yaml'],
    });
    await expect(done).rejects.toThrow(
      'The manifests break 2 guardrails:\n' +
        '- document 6 (Deployment "payments-api"): spec.template.spec.containers[0].image: "nginx" has no tag; pin a version (e.g. nginx:1.2.3) or a digest\n' +
        '- document 6 (Deployment "payments-api"): spec.template.spec.containers[0].securityContext.runAsUser: running as root (user 0) is not allowed',
    );
    expect(ctx.output).not.toHaveBeenCalled();
    expect(server.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/namespaces/payments-api-dev',
    ]);
  });

  it.each([
    [
      { manifestPaths: ['../outside.yaml'] },
      'Relative path is not allowed to refer to a directory outside its parent',
    ],
    [
      { manifestPaths: ['kubernetes/missing.yaml'] },
      'manifestPaths: kubernetes/missing.yaml is not a file in the workspace',
    ],
    [
      {},
      'manifestPaths or manifests: give the workspace files to apply, or inline YAML',
    ],
    [
      { manifests: 'a: &x 1\nb: *x\n' },
      'manifests: document 1: YAML anchors (&x) are not allowed',
    ],
    [
      {
        manifests:
          '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- 1\n',
      },
      'manifests: document 2: expected a Kubernetes object',
    ],
  ])('rejects bad input %j with a clear error', async (input, message) => {
    const { done } = run({
      component: 'payments-api',
      environment: 'dev',
      ...input,
    });
    await expect(done).rejects.toThrow(message);
    expect(server.requests).toEqual([]);
  });

  it('refuses a file over the size limit before reading it', async () => {
    await setup({ maxManifestBytes: 2048 });
    const { done } = run({
      component: 'payments-api',
      environment: 'dev',
      manifestPaths: ['kubernetes/app.yaml'],
    });
    await expect(done).rejects.toThrow(
      /^manifestPaths: kubernetes\/app.yaml \(\d+ bytes\) takes the manifests over 2048 bytes \(paved.kubernetes.maxManifestBytes\)$/,
    );
    expect(server.requests).toEqual([]);
  });
});
