/*
 * The scheduled-job golden path on the real backend (src/index.ts), with the
 * GitHub and Kubernetes test servers: Create Component publishes the job's
 * repository, creates its CronJob in the dev namespace through the
 * Kubernetes driver's guardrails, and a run that fails shows on the
 * entity page: the kubernetes plugin's objects-by-entity endpoint (what the
 * Kubernetes tab asks for) returns the CronJob, its failed Job and the
 * Job's Failed pods. The static website's first run publishes: its template
 * enables GitHub Pages, built by the workflow the repository carries.
 */
import { TEST_GROUPS, TEST_USERS } from '@paved/testkit';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { ConfigReader } from '@backstage/config';
import {
  checkGuardrails,
  readKubernetesProvisionerConfig,
} from '@paved/plugin-kubernetes-node';
import { RealBackend, startRealBackend } from './__testUtils__/realBackend';
import { eventually, logMessage } from './__testUtils__/wiring';

jest.setTimeout(300_000);

const name = 'nightly-report';
const namespace = `${name}-dev`;
const cronJobRef = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  namespace,
  name,
};

describe('the scheduled-job and static-website templates on the real backend', () => {
  let real: RealBackend;

  beforeAll(async () => {
    real = await startRealBackend();
  });

  afterAll(async () => {
    await real?.stop();
  });

  it('creates the job with its CronJob in dev, inside the guardrails, and its failed run shows on the entity page', async () => {
    const run = await real.runTask(
      TEST_USERS.teamA,
      'template:default/scheduled-job',
      {
        name,
        description: 'Sends the nightly report',
        owner: TEST_GROUPS.teamA,
        schedule: '30 2 * * MON-FRI',
        timeZone: 'Europe/Berlin',
        maxRunMinutes: 15,
        // The GitHub test server's host: integrations.github has credentials for it.
        repoUrl: `${real.github.host}?owner=kestrel&repo=${name}`,
        deploy: true,
        size: 'small',
      },
    );
    expect({ status: run.status, failed: run.failed }).toEqual({
      status: 'completed',
      failed: [],
    });
    expect(run.began).toEqual([
      'check',
      'fetch-base',
      'provenance',
      'publish',
      'codeowners',
      'protect',
      'environments',
      'variables',
      'access',
      'register',
      'namespace',
      'deploy',
    ]);

    // The repository as published: the manifest, the image's user and the lockfile.
    const files = await real.github.driver.files('kestrel', name);
    const [manifest, ...more] = parseAllDocuments(
      files['kubernetes/cronjob.yaml'],
    ).map(d => d.toJS());
    expect(more).toEqual([]);
    expect(manifest.spec).toMatchObject({
      schedule: '30 2 * * MON-FRI',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: { backoffLimit: 2, activeDeadlineSeconds: 900 },
      },
    });
    expect(
      checkGuardrails([manifest], {
        namespace,
        component: name,
        environment: 'dev',
        // The built-in allowed kinds, which app-config.yaml writes out.
        allowedKinds: readKubernetesProvisionerConfig(new ConfigReader({}))
          .allowedKinds,
      }),
    ).toEqual([]);
    const pod = manifest.spec.jobTemplate.spec.template.spec;
    expect(files.Dockerfile).toContain(
      `USER ${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`,
    );
    expect(JSON.parse(files['package-lock.json']).name).toBe(name);
    expect(JSON.parse(files['package.json']).name).toBe(name);
    expect(parseYaml(files['catalog-info.yaml'])).toMatchObject({
      spec: { type: 'job', owner: TEST_GROUPS.teamA },
      metadata: {
        annotations: {
          'backstage.io/kubernetes-id': name,
          'backstage.io/techdocs-ref': 'dir:.',
          'github.com/project-slug': `kestrel/${name}`,
        },
      },
    });
    // The branch requires the CI jobs that run on pull requests.
    const [ruleset] = real.github.driver.repository('kestrel', name)!.rulesets;
    const checks = ruleset.rules.find(
      (r: any) => r.type === 'required_status_checks',
    );
    expect(
      checks.parameters.required_status_checks.map((c: any) => c.context),
    ).toEqual(['lint', 'test']);

    // The CronJob as applied, labelled so its Jobs and pods are found.
    const applied = real.cluster.driver.getObject(cronJobRef)!;
    expect(applied.spec.schedule).toBe('30 2 * * MON-FRI');
    expect(applied.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'paved',
    });
    expect(applied.spec.jobTemplate.metadata.labels).toMatchObject({
      'backstage.io/kubernetes-id': name,
    });

    // The deploy path CI takes (contract of /api/deploy) sets the job's own
    // image on the CronJob; there is no rollout to wait for. Another team
    // is refused and nothing changes.
    const image = 'ghcr.io/kestrel/nightly-report:3f2a9c1';
    const request = {
      entityRef: `component:default/${name}`,
      environment: 'dev',
      image,
    };
    const imageOf = () =>
      real.cluster.driver.getObject(cronJobRef)!.spec.jobTemplate.spec.template
        .spec.containers[0].image;
    const refused = await real.api(
      TEST_USERS.teamB,
      '/deploy/deployments',
      request,
    );
    expect(refused.status).toBe(403);
    expect(imageOf()).toBe('docker.io/library/busybox:1.37.0');
    const deployed = await real.api(
      TEST_USERS.teamA,
      '/deploy/deployments',
      request,
    );
    expect({ status: deployed.status, body: deployed.body }).toMatchObject({
      status: 200,
      body: { deployment: { status: 'succeeded', image } },
    });
    expect(imageOf()).toBe(image);

    // A run fails, as the CronJob and Job controllers leave it.
    const failed = real.cluster.driver.failCronJobRun(cronJobRef, {
      exitCode: 3,
      logs: ['{"level":"error","msg":"Run failed"}'],
    });

    const entity = await eventually('the job in the catalogue', async () => {
      const read = await real.api(
        TEST_USERS.teamA,
        `/catalog/entities/by-name/component/default/${name}`,
      );
      return read.status === 200 ? read.body : undefined;
    });
    const shown = await real.api(
      TEST_USERS.teamA,
      `/kubernetes/services/${name}`,
      { entity, auth: {} },
    );
    expect(shown.status).toBe(200);
    const [cluster] = shown.body.items;
    expect(cluster.errors).toEqual([]);
    const ofType = (type: string): any[] =>
      cluster.resources.find((r: { type: string }) => r.type === type)
        ?.resources ?? [];
    expect(ofType('cronjobs').map(o => o.metadata.name)).toEqual([name]);
    const jobs = ofType('jobs');
    expect(jobs.map(o => o.metadata.name)).toEqual([failed.job]);
    expect(jobs[0].metadata.ownerReferences[0]).toMatchObject({
      kind: 'CronJob',
      name,
    });
    expect(jobs[0].status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'Failed',
        status: 'True',
        reason: 'BackoffLimitExceeded',
      }),
    );
    const pods = ofType('pods');
    expect(pods.map(p => p.metadata.name).sort()).toEqual(
      [...failed.pods].sort(),
    );
    for (const p of pods) {
      expect(p.status.phase).toBe('Failed');
      expect(p.status.containerStatuses[0].state.terminated.exitCode).toBe(3);
    }
  });

  it('enables GitHub Pages for a static website, so its first workflow run publishes it', async () => {
    const site = 'ops-handbook';
    const run = await real.runTask(
      TEST_USERS.teamA,
      'template:default/static-website',
      {
        name: site,
        description: 'How we run things',
        owner: TEST_GROUPS.teamA,
        repoUrl: `${real.github.host}?owner=kestrel&repo=${site}`,
      },
    );
    expect({ status: run.status, failed: run.failed }).toEqual({
      status: 'completed',
      failed: [],
    });
    expect(run.began.indexOf('pages')).toBeGreaterThan(
      run.began.indexOf('publish'),
    );
    expect(run.began.indexOf('pages')).toBeLessThan(
      run.began.indexOf('register'),
    );
    expect(real.github.driver.repository('kestrel', site)!.pages).toEqual({
      buildType: 'workflow',
      source: { branch: 'main', path: '/' },
    });
    // The workflow that publishes it: the Pages actions, their permissions
    // and environment.
    const files = await real.github.driver.files('kestrel', site);
    const workflow = parseYaml(files['.github/workflows/ci.yaml']);
    const steps = Object.values<any>(workflow.jobs).flatMap(j => j.steps);
    expect(steps.map(s => s.uses).filter(Boolean)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^actions\/upload-pages-artifact@/),
        expect.stringMatching(/^actions\/deploy-pages@/),
      ]),
    );
    expect(workflow.jobs.deploy.permissions).toMatchObject({
      pages: 'write',
      'id-token': 'write',
    });
    expect(workflow.jobs.deploy.environment.name).toBe('github-pages');
  });

  it('keeps a static website on the local forge, saying why it is not published, and completes', async () => {
    const site = 'forge-handbook';
    // github.com has no credentials here: the repository goes to the forge.
    const run = await real.runTask(
      TEST_USERS.teamA,
      'template:default/static-website',
      {
        name: site,
        owner: TEST_GROUPS.teamA,
        repoUrl: `github.com?owner=kestrel&repo=${site}`,
      },
    );
    expect({ status: run.status, failed: run.failed }).toEqual({
      status: 'completed',
      failed: [],
    });
    const lines = run.events
      .filter(e => e.type === 'log' && e.body.stepId === 'pages')
      .map(e => logMessage(e.body.message));
    expect(lines).toEqual(
      expect.arrayContaining([
        'kestrel/forge-handbook lives on the local forge: GitHub Pages skipped',
        expect.stringMatching(
          /^The local forge has no GitHub Pages, so kestrel\/forge-handbook is not published: .*To publish it, /,
        ),
      ]),
    );
    expect(real.github.driver.repository('kestrel', site)).toBeUndefined();
  });
});
