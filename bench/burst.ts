/*
 * A burst of Create Component tasks against GitHub's secondary limits: the
 * real backend (one or two replicas, child processes, one PostgreSQL)
 * publishing to the GitHub test server, which keeps GitHub's 80
 * content-creating requests a minute and 500 an hour per credential.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/burst.ts \
 *     [--tasks=50] [--replicas=1,2] [--time-scale=1]
 *
 * For each replica count: the wall time from the first post to the last
 * task's end, beside the floor (content-creating writes / 80 a minute), the
 * writes GitHub refused for its secondary limits, the longest wait for the
 * write budget a task reported, and how many tasks failed. --time-scale
 * runs GitHub's clock (and the budget's) faster: 0.1 makes a minute 6 s;
 * the figures it prints are on that clock. Needs PostgreSQL at
 * PAVED_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432).
 * See bench/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGitHubTestServer } from '@paved/testkit';
import {
  dropPostgresDatabases,
  killChildBackend,
} from '../packages/backend/src/__testUtils__/childBackend';
import {
  Replica,
  limitGitHub,
  longestBudgetWait,
  postCreateComponents,
  startReplica,
  taskLog,
  tasksEnded,
} from '../packages/backend/src/__testUtils__/replicas';

const arg = (name: string, fallback: string) =>
  process.argv.find(a => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const TASKS = Number(arg('tasks', '50'));
const REPLICAS = arg('replicas', '1,2').split(',').map(Number);
const TIME_SCALE = Number(arg('time-scale', '1'));
const POSTGRES =
  process.env.PAVED_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432';

interface Row {
  replicas: number;
  wallSeconds: number;
  writes: number;
  floorSeconds: number;
  refused: number;
  longestWaitSeconds: number;
  failed: number;
  /** What GitHub refused, to tell why. */
  refusals: string[];
}

async function burst(replicaCount: number): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-burst-'));
  const prefix = `paved_burst_${process.pid}_${replicaCount}_`;
  const github = await startGitHubTestServer();
  limitGitHub(github, TIME_SCALE);
  const replicas: Replica[] = [];
  try {
    for (const name of ['a', 'b'].slice(0, replicaCount)) {
      replicas.push(
        await startReplica({
          name,
          dir,
          postgres: POSTGRES,
          prefix,
          github,
          timeScale: TIME_SCALE,
        }),
      );
    }
    const apis = replicas.map(r => r.api);
    const names = Array.from({ length: TASKS }, (_, i) => `burst-${i}`);
    const started = Date.now();
    const ids = await postCreateComponents(apis, github, names);
    const tasks = await tasksEnded(apis[0], ids, 3 * 3_600_000);
    const wallSeconds = (Date.now() - started) / 1000;
    const logs = await Promise.all(ids.map(id => taskLog(apis[0], id)));
    const writes = github.requests.filter(r => r.contentCreating);
    return {
      replicas: replicaCount,
      wallSeconds,
      writes: writes.length,
      floorSeconds: (writes.length / 80) * 60 * TIME_SCALE,
      refused: writes.filter(r => r.status === 403).length,
      refusals: writes
        .map((r, i) => ({ r, i }))
        .filter(({ r }) => r.status === 403)
        .map(({ r, i }) => `write ${i + 1} of ${writes.length}: ${r.route}`),
      longestWaitSeconds: longestBudgetWait(logs),
      failed: tasks.filter(t => t.status !== 'completed').length,
    };
  } finally {
    await Promise.all(replicas.map(r => killChildBackend(r.backend)));
    await github.close();
    await dropPostgresDatabases(POSTGRES, prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const rows: Row[] = [];
  for (const count of REPLICAS) rows.push(await burst(count));
  const clock =
    TIME_SCALE === 1
      ? "GitHub's clock"
      : `a clock ${1 / TIME_SCALE} times faster than GitHub's`;
  process.stdout.write(
    `\n${TASKS} Create Component tasks at once (node-service, GitHub test server with 80 writes/min and 500/h, ${clock})\n`,
  );
  process.stdout.write(
    'replicas  wall time  floor (writes/80 a min)  overhead  writes  refused  longest wait  failed\n',
  );
  for (const r of rows) {
    process.stdout.write(
      `${String(r.replicas).padStart(8)}  ${r.wallSeconds
        .toFixed(0)
        .padStart(7)} s  ${r.floorSeconds.toFixed(0).padStart(21)} s  ${(
        r.wallSeconds / r.floorSeconds
      )
        .toFixed(2)
        .padStart(7)}x  ${String(r.writes).padStart(6)}  ${String(
        r.refused,
      ).padStart(7)}  ${String(r.longestWaitSeconds).padStart(10)} s  ${String(
        r.failed,
      ).padStart(6)}\n`,
    );
  }
  for (const r of rows.filter(row => row.refusals.length > 0)) {
    process.stdout.write(
      `refused on ${r.replicas} replica(s): ${r.refusals.join('; ')}\n`,
    );
  }
  process.exit(rows.every(r => r.failed === 0 && r.refused === 0) ? 0 : 1);
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
