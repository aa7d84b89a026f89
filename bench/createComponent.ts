/*
 * Create Component: the wall time of each step of the node-service
 * template, from its task's events, and the time from the task's creation
 * to the component in the catalogue with its relations (ownedBy its group,
 * providesApi its API), on the real backend (src/index.ts in a child
 * process, the local forge, the sample organisation).
 *
 *   npm run -s paved -- node --require @backstage/cli/config/nodeTransform.cjs \
 *     bench/createComponent.ts [--runs=5] [--database=sqlite|postgres]
 *
 * sqlite is the embedded default. Its event timestamps have a resolution of
 * a second, so the per-step times are exact only with --database=postgres
 * (the test server of BACKSTAGE_TEST_DATABASE_POSTGRES*_CONNECTION_STRING);
 * the end-to-end times are measured by the client either way. One warm-up
 * run first; the figures are medians of the runs after it. See
 * bench/README.md.
 */
import { TEST_GROUPS, TEST_USERS } from '@paved/testkit';
import {
  RealBackend,
  startRealBackend,
} from '../packages/backend/src/__testUtils__/realBackend';
import {
  dropPostgresDatabases,
  testPostgresUrl,
} from '../packages/backend/src/__testUtils__/childBackend';

const arg = (name: string, fallback: string) =>
  process.argv.find(a => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const RUNS = Number(arg('runs', '5'));
const DATABASE = arg('database', 'sqlite');
const PREFIX = `paved_bench_create_${process.pid}_`;

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

/** Each step's wall time: from its first event to the next step's (or the task's end). */
function stepTimes(events: any[]): Map<string, number> {
  const starts: [string, number][] = [];
  let end = 0;
  for (const e of events) {
    const at = Date.parse(e.createdAt);
    const step = e.body?.stepId;
    if (e.type === 'log' && step && !starts.some(([s]) => s === step)) {
      starts.push([step, at]);
    }
    if (e.type === 'completion') end = at;
  }
  return new Map(
    starts.map(([step, at], i) => [step, (starts[i + 1]?.[1] ?? end) - at]),
  );
}

/** One Create Component: client-side times to the task's end and to the entity with its relations. */
async function createComponent(paved: RealBackend, name: string) {
  const start = Date.now();
  const run = await paved.runTask(
    TEST_USERS.teamA,
    'template:default/node-service',
    {
      name,
      description: 'Create Component bench',
      owner: TEST_GROUPS.teamA,
      repoUrl: `github.com?owner=kestrel&repo=${name}`,
      deploy: false,
    },
  );
  if (run.status !== 'completed') {
    throw new Error(`Create Component failed: ${JSON.stringify(run.failed)}`);
  }
  const task = Date.now() - start;
  for (;;) {
    const res = await paved.api(
      TEST_USERS.teamA,
      `/catalog/entities/by-name/component/default/${name}`,
    );
    const types = new Set((res.body?.relations ?? []).map((r: any) => r.type));
    if (types.has('ownedBy') && types.has('providesApi')) break;
    await new Promise(r => setTimeout(r, 20));
  }
  return { steps: stepTimes(run.events), task, entity: Date.now() - start };
}

async function main() {
  if (DATABASE === 'postgres' && !testPostgresUrl) {
    throw new Error(
      '--database=postgres needs BACKSTAGE_TEST_DATABASE_POSTGRES*_CONNECTION_STRING',
    );
  }
  const paved = await startRealBackend(
    DATABASE === 'postgres'
      ? {
          database: {
            client: 'pg',
            connection: testPostgresUrl,
            prefix: PREFIX,
          },
        }
      : {},
  );
  try {
    const rows: Awaited<ReturnType<typeof createComponent>>[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const row = await createComponent(paved, `bench-create-${i}`);
      process.stdout.write(
        `${i === 0 ? 'warm-up' : `run ${i}`}: task ${
          row.task
        } ms, entity with relations ${row.entity} ms\n`,
      );
      if (i > 0) rows.push(row);
    }
    process.stdout.write(
      `\nCreate Component (node-service, local forge, ${DATABASE}), median of ${RUNS} after a warm-up\n\n| step | ms |\n| --- | ---: |\n`,
    );
    for (const id of rows[0].steps.keys()) {
      process.stdout.write(
        `| ${id} | ${median(rows.map(r => r.steps.get(id) ?? 0))} |\n`,
      );
    }
    process.stdout.write(
      `| task created → completed (client) | ${median(
        rows.map(r => r.task),
      )} |\n| task created → entity with ownedBy and providesApi | ${median(
        rows.map(r => r.entity),
      )} |\n`,
    );
  } finally {
    await paved.stop();
    if (DATABASE === 'postgres') {
      await dropPostgresDatabases(testPostgresUrl!, PREFIX);
    }
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
