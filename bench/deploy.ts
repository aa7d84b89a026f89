/*
 * CI deploy: the time from the deploy call (POST /api/deploy/deployments
 * with a GitHub Actions OIDC token, as the rendered workflow's deploy job
 * sends it) to its answer, which comes once the rollout is complete, on the
 * real backend (src/index.ts in a child process) against the GitHub and
 * Kubernetes test servers of packages/testkit.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/deploy.ts [--runs=20]
 *
 * Create Component (node-service, dev environment ticked) runs first, so the
 * component, its repository and its namespace are the golden path's own;
 * then each run deploys a new image (a new commit's). See bench/README.md.
 */
import crypto from 'node:crypto';
import { TEST_GROUPS, TEST_USERS } from '@paved/testkit';
import { startGoldenPathBackend } from '../packages/backend/src/__testUtils__/goldenPathBackend';
import { eventually } from '../packages/backend/src/__testUtils__/wiring';

const runs = Number(
  process.argv.find(a => a.startsWith('--runs='))?.split('=')[1] ?? 20,
);
const NAME = 'bench-deploy';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/** Each step's wall time, from its first log line to its last, in task order. */
function stepTimes(events: any[]): Array<[string, number]> {
  const times = new Map<string, { first: number; last: number }>();
  for (const e of events) {
    const stepId = e.body?.stepId;
    if (e.type !== 'log' || !stepId) continue;
    const at = new Date(e.createdAt).getTime();
    const t = times.get(stepId) ?? { first: at, last: at };
    t.last = Math.max(t.last, at);
    times.set(stepId, t);
  }
  return [...times].map(([id, t]) => [id, t.last - t.first]);
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function main() {
  const paved = await startGoldenPathBackend();
  try {
    const auth = await paved.authorization(TEST_USERS.teamA);
    const createStart = process.hrtime.bigint();
    const created = await paved.call(auth, '/scaffolder/v2/tasks', {
      templateRef: 'template:default/node-service',
      values: {
        name: NAME,
        description: 'Deploy bench',
        owner: TEST_GROUPS.teamA,
        repoUrl: `${paved.github.host}?owner=kestrel&repo=${NAME}`,
        deploy: true,
        size: 'small',
      },
    });
    const task = await eventually(
      'Create Component',
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
    if (task.status !== 'completed') throw new Error('Create Component failed');
    const createMs = ms(createStart);
    const events = (
      await paved.call(auth, `/scaffolder/v2/tasks/${created.body.id}/events`)
    ).body as any[];
    const steps = stepTimes(events);
    // catalog:register only adds the location; CI deploys once the
    // component is in the catalogue, whose repository binds the token.
    await eventually(
      'the component in the catalogue',
      async () =>
        (
          await paved.call(
            auth,
            `/catalog/entities/by-name/component/default/${NAME}`,
          )
        ).status === 200 || undefined,
      undefined,
      60_000,
    );

    const samples: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const sha = crypto.randomBytes(20).toString('hex');
      const token = await paved.github.driver.actions.issueToken({
        repository: `kestrel/${NAME}`,
        sha,
        audience: 'paved',
      });
      const image = `ghcr.io/kestrel/${NAME}:${sha}`;
      const start = process.hrtime.bigint();
      const res = await paved.call(`Bearer ${token}`, '/deploy/deployments', {
        entityRef: `component:default/${NAME}`,
        environment: 'dev',
        image,
      });
      const elapsed = ms(start);
      const live = paved.cluster.driver.getObject({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: `${NAME}-dev`,
        name: NAME,
      })!;
      if (
        res.status !== 200 ||
        res.body.deployment.status !== 'succeeded' ||
        live.spec.template.spec.containers[0].image !== image ||
        live.status.availableReplicas !== live.spec.replicas
      ) {
        throw new Error(
          `deploy ${i}: ${res.status} ${JSON.stringify(res.body)}`,
        );
      }
      // The first deploy fetches the JWKS and warms the clients: reported apart.
      samples.push(elapsed);
    }
    const [first, ...rest] = samples;
    const rows = [
      [
        'Create Component (node-service, dev deployed), task start to end',
        createMs,
      ],
      ['first deploy (JWKS fetched, clients warmed)', first],
      [`deploy, median of ${rest.length}`, percentile(rest, 0.5)],
      [`deploy, p95 of ${rest.length}`, percentile(rest, 0.95)],
      ['deploy, min', Math.min(...rest)],
      ['deploy, max', Math.max(...rest)],
    ] as const;
    for (const [what, value] of [
      ...rows.slice(0, 1),
      ...steps.map(([id, v]) => [`  step ${id}`, v] as const),
      ...rows.slice(1),
    ]) {
      process.stdout.write(`${what.padEnd(70)} ${value.toFixed(1)} ms\n`);
    }
  } finally {
    await paved.stop();
  }
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
