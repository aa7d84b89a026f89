/*
 * The whole golden path on the backend, against the project's test servers:
 * Create Component (node-service, dev environment ticked) publishes to the
 * GitHub test server and deploys the placeholder; the repository's content,
 * read over git, holds the workflow, the Dockerfile and catalog-info.yaml;
 * the rendered workflow's deploy step then runs as a CI job would, asking
 * the GitHub test server for its OIDC token and sending it with a new image
 * to /api/deploy/deployments, which the backend accepts through external
 * access (jwks) for that repository only; the Deployment in <name>-dev runs
 * the image and its rollout completes. A token of another repository is
 * refused (403) and one for another audience rejected (401), the
 * Deployment unchanged.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { TEST_GROUPS, TEST_USERS } from '@paved/testkit';
import {
  GoldenPathBackend,
  startGoldenPathBackend,
} from './__testUtils__/goldenPathBackend';
import { eventually } from './__testUtils__/wiring';

jest.setTimeout(300_000);

const run = promisify(execFile);
const NAME = 'parcel-tracker';
const ENTITY_REF = `component:default/${NAME}`;
const NAMESPACE = `${NAME}-dev`;

describe('the golden path: from Create Component to the team’s own image in dev', () => {
  let paved: GoldenPathBackend;
  let work: string;
  let clone: string;

  const deployment = () =>
    paved.cluster.driver.getObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: NAMESPACE,
      name: NAME,
    })!;
  const imageInDev = () => deployment().spec.template.spec.containers[0].image;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-golden-work-'));
    paved = await startGoldenPathBackend();
  });

  afterAll(async () => {
    await paved?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('Create Component publishes the service to GitHub and deploys its dev environment', async () => {
    const auth = await paved.authorization(TEST_USERS.teamA);
    const created = await paved.call(auth, '/scaffolder/v2/tasks', {
      templateRef: 'template:default/node-service',
      values: {
        name: NAME,
        description: 'Where a parcel is',
        owner: TEST_GROUPS.teamA,
        repoUrl: `${paved.github.host}?owner=kestrel&repo=${NAME}`,
        deploy: true,
        size: 'small',
      },
    });
    expect(created.status).toBe(201);
    const task = await eventually(
      'Create Component to end',
      async () => {
        const res = await paved.call(
          auth,
          `/scaffolder/v2/tasks/${created.body.id}`,
        );
        return ['completed', 'failed'].includes(res.body?.status)
          ? res.body
          : undefined;
      },
      undefined,
      180_000,
    );
    if (task.status !== 'completed') {
      const events = await paved.call(
        auth,
        `/scaffolder/v2/tasks/${created.body.id}/events`,
      );
      throw new Error(
        `Create Component ${task.status}:\n${JSON.stringify(
          events.body.filter((e: any) => e.body?.status === 'failed'),
        )}`,
      );
    }
    expect(paved.github.driver.repository('kestrel', NAME)).toBeDefined();
    // catalog:register adds the location; the catalogue processes it a
    // moment later, so a fast task can end before the entity exists.
    const entity = await eventually(
      'the component in the catalogue',
      async () => {
        const res = await paved.call(
          auth,
          `/catalog/entities/by-name/component/default/${NAME}`,
        );
        return res.status === 200 ? res : undefined;
      },
      undefined,
      30_000,
    ).catch(async () =>
      paved.call(auth, `/catalog/entities/by-name/component/default/${NAME}`),
    );
    expect(entity.status).toBe(200);
    expect(entity.body.metadata.annotations['github.com/project-slug']).toBe(
      `kestrel/${NAME}`,
    );
    expect(imageInDev()).toMatch(/podinfo/);
  });

  it('the repository, read over git, holds the workflow, the Dockerfile and catalog-info.yaml', async () => {
    clone = path.join(work, 'clone');
    const url = new URL(`${paved.github.url}/kestrel/${NAME}.git`);
    url.username = 'x-access-token';
    url.password = paved.github.token;
    await run('git', ['clone', '--quiet', url.toString(), clone], {
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
    for (const file of [
      '.github/workflows/ci.yaml',
      'Dockerfile',
      'catalog-info.yaml',
    ]) {
      expect(fs.existsSync(path.join(clone, file))).toBe(true);
    }
    const component = parseAllDocuments(
      fs.readFileSync(path.join(clone, 'catalog-info.yaml'), 'utf8'),
    )
      .map(doc => doc.toJS())
      .find(doc => doc?.kind === 'Component');
    expect(component.metadata.name).toBe(NAME);
    expect(component.metadata.annotations['backstage.io/kubernetes-id']).toBe(
      NAME,
    );
  });

  it("CI's deploy step, run as GitHub runs it, deploys the commit's image with the job's OIDC token: the Deployment runs it", async () => {
    const workflow = parseYaml(
      fs.readFileSync(path.join(clone, '.github/workflows/ci.yaml'), 'utf8'),
    );
    const script = workflow.jobs.deploy.steps.find((s: any) => s.run).run;
    const variables = paved.github.driver.repository(
      'kestrel',
      NAME,
    )!.variables;
    const sha = crypto.randomBytes(20).toString('hex');
    const job = paved.github.driver.actions.startJob({
      repository: `kestrel/${NAME}`,
      sha,
    });
    paved.github.driver.actions.recordRun(`kestrel/${NAME}`, {
      headSha: sha,
      status: 'in_progress',
    });
    const image = `ghcr.io/kestrel/${NAME}:${sha}`;
    const jobDir = fs.mkdtempSync(path.join(work, 'job-'));
    const started = Date.now();
    const { stdout } = await run('bash', ['-c', script], {
      cwd: jobDir,
      env: {
        PATH: process.env.PATH,
        ...job,
        PAVED_URL: variables.PAVED_URL,
        ENTITY_REF: variables.CATALOG_ENTITY,
        IMAGE: image,
      },
    });
    const elapsed = Date.now() - started;
    const response = JSON.parse(
      fs.readFileSync(path.join(jobDir, 'response.json'), 'utf8'),
    );
    expect(stdout).not.toContain(job.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
    expect(response.deployment).toMatchObject({
      entityRef: ENTITY_REF,
      environment: 'dev',
      image,
      status: 'succeeded',
      workloads: [`Deployment/${NAME}`],
      actor: `external:github-actions:repo:kestrel/${NAME}:ref:refs/heads/main`,
      run: { repository: `kestrel/${NAME}`, sha, runId: job.GITHUB_RUN_ID },
    });
    expect(elapsed).toBeLessThan(30_000);
    expect(imageInDev()).toBe(image);
    const live = deployment();
    expect(live.status.observedGeneration).toBe(live.metadata.generation);
    expect(live.status.updatedReplicas).toBe(live.spec.replicas);
    expect(live.status.availableReplicas).toBe(live.spec.replicas);
  });

  it("lists the deployment and the repository's CI runs for the entity page", async () => {
    const auth = await paved.authorization(TEST_USERS.teamB);
    const listed = await paved.call(
      auth,
      `/deploy/deployments?entityRef=${encodeURIComponent(ENTITY_REF)}`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.deployments).toEqual([
      expect.objectContaining({ image: imageInDev(), status: 'succeeded' }),
    ]);
    const runs = await paved.call(
      auth,
      `/deploy/runs?entityRef=${encodeURIComponent(ENTITY_REF)}`,
    );
    expect(runs.status).toBe(200);
    expect(runs.body.runs).toEqual([
      expect.objectContaining({ name: 'CI', status: 'in_progress' }),
    ]);
  });

  it.each([
    ['a workflow of another repository', 'kestrel/other-service', 'paved', 403],
    [
      'a token for another audience',
      `kestrel/${NAME}`,
      'sts.amazonaws.com',
      401,
    ],
  ])(
    'refuses %s and changes nothing',
    async (_, repository, audience, status) => {
      const before = imageInDev();
      const generation = deployment().metadata.generation;
      const token = await paved.github.driver.actions.issueToken({
        repository,
        audience,
      });
      const res = await paved.call(`Bearer ${token}`, '/deploy/deployments', {
        entityRef: ENTITY_REF,
        environment: 'dev',
        image: `ghcr.io/${repository}:${'e'.repeat(40)}`,
      });
      expect(res.status).toBe(status);
      expect(imageInDev()).toBe(before);
      expect(deployment().metadata.generation).toBe(generation);
      const listed = await paved.call(
        await paved.authorization(TEST_USERS.teamA),
        `/deploy/deployments?entityRef=${encodeURIComponent(ENTITY_REF)}`,
      );
      expect(listed.body.deployments).toHaveLength(1);
    },
  );
});
