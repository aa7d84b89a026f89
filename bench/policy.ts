/*
 * What Paved's permission policy and its audit trail cost, each beside its
 * absence with everything else equal (bench/policy/backend.ts):
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/policy.ts \
 *     [--requests=300] [--creates=5] [--warm-up=300]
 *
 * - the p50/p95 of a catalogue list and of a task read by a member of a
 *   team (not an admin: their task reads are conditional decisions), with
 *   Paved's policy and with allow-all (target: within 10 %);
 * - the wall time of Create Component (node-service on the local forge),
 *   with the audit trail and without, and how many audit events it wrote
 *   and how fast the trail stored them (target: no change beyond noise).
 *
 * Each backend is the embedded default on SQLite in a temporary folder.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ROOT,
  eventually,
  freePort,
} from '../packages/backend/src/__testUtils__/wiring';

const arg = (name: string, fallback: string) =>
  process.argv.find(a => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const REQUESTS = Number(arg('requests', '300'));
const CREATES = Number(arg('creates', '5'));
const WARM_UP = Number(arg('warm-up', '300'));
const MEMBER = 'user:default/lena-fischer';
const ADMIN = 'user:default/ana-silva';

type Variant = { policy: 'paved' | 'allow-all'; audit: 'on' | 'off' };
type Portal = {
  child: ChildProcess;
  api: (user: string, route: string, body?: unknown) => Promise<any>;
};

async function start(variant: Variant): Promise<Portal> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-policy-bench-'));
  const port = await freePort();
  const overrides = path.join(dir, 'app-config.bench.json');
  fs.writeFileSync(
    overrides,
    JSON.stringify({
      backend: { baseUrl: `http://localhost:${port}`, listen: { port } },
    }),
  );
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(ROOT, 'bench/policy/backend.ts'),
      `--policy=${variant.policy}`,
      `--audit=${variant.audit}`,
      '--config',
      path.join(ROOT, 'app-config.yaml'),
      '--config',
      overrides,
    ],
    {
      cwd: path.join(ROOT, 'packages/backend'),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'development',
        PAVED_DATA_DIR: dir,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let errors = '';
  child.stderr!.on('data', d => (errors += d));
  const baseUrl = `http://localhost:${port}`;
  const tokens = new Map<string, string>();
  const token = async (user: string) => {
    if (!tokens.has(user)) {
      const res = await fetch(`${baseUrl}/api/auth/picker/refresh`, {
        headers: {
          'x-requested-with': 'XMLHttpRequest',
          'x-paved-picker-user': user,
        },
      });
      if (!res.ok) throw new Error(`no token for ${user}: ${res.status}`);
      tokens.set(user, (await res.json()).backstageIdentity.token);
    }
    return tokens.get(user)!;
  };
  const api = async (user: string, route: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}/api${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${await token(user)}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${route}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  await eventually(
    'the backend to be ready and the sample users signed in',
    async () => {
      try {
        await api(
          MEMBER,
          '/catalog/entities/by-name/user/default/lena-fischer',
        );
        await api(
          MEMBER,
          '/catalog/entities/by-name/template/default/node-service',
        );
        return true;
      } catch {
        return undefined;
      }
    },
    () => {
      if (child.exitCode !== null) throw new Error(errors);
    },
    120_000,
  );
  // The policy keeps a user's groups 5 s: let the first reads before the
  // organisation was loaded expire.
  await new Promise(r => setTimeout(r, 6000));
  return { child, api };
}

async function stop(portal: Portal) {
  await new Promise(resolve => {
    portal.child.once('exit', resolve);
    portal.child.kill('SIGTERM');
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

/**
 * p50 and p95 of `n` rounds of calls, one to each backend in turn (in
 * alternating order), after WARM_UP rounds: the two backends run side by
 * side, so what else the machine does weighs on both alike. A freshly
 * started backend answers its first few hundred requests slower (JIT,
 * caches) by more than the difference measured here.
 */
async function timedSideBySide(
  n: number,
  calls: Array<() => Promise<unknown>>,
) {
  const times: number[][] = calls.map(() => []);
  for (let round = 0; round < WARM_UP + n; round++) {
    const order = round % 2 === 0 ? calls : [...calls].reverse();
    for (const call of order) {
      const t0 = performance.now();
      await call();
      if (round >= WARM_UP)
        times[calls.indexOf(call)].push(performance.now() - t0);
    }
  }
  return times.map(t => ({ p50: percentile(t, 50), p95: percentile(t, 95) }));
}

async function createComponent(portal: Portal, name: string) {
  const t0 = performance.now();
  const { id } = await portal.api(MEMBER, '/scaffolder/v2/tasks', {
    templateRef: 'template:default/node-service',
    values: {
      name,
      description: `Bench ${name}`,
      owner: 'group:default/storefront',
      repoUrl: `github.com?owner=kestrel&repo=${name}`,
      deploy: false,
    },
  });
  const task = await eventually(
    `task ${id} to end`,
    async () => {
      const t = await portal.api(MEMBER, `/scaffolder/v2/tasks/${id}`);
      return ['completed', 'failed'].includes(t.status) ? t : undefined;
    },
    undefined,
    120_000,
  );
  if (task.status !== 'completed') throw new Error(`task ${id} ${task.status}`);
  return { id, seconds: (performance.now() - t0) / 1000 };
}

/** Catalogue list and task read, allow-all and Paved's policy side by side. */
async function reads() {
  const allowAll = await start({ policy: 'allow-all', audit: 'on' });
  const paved = await start({ policy: 'paved', audit: 'on' });
  try {
    const portals = [allowAll, paved];
    const ids = await Promise.all(
      portals.map(
        async (portal, i) =>
          (
            await createComponent(portal, `bench-read-${i}`)
          ).id,
      ),
    );
    const [catalogueAllowAll, cataloguePaved] = await timedSideBySide(
      REQUESTS,
      portals.map(
        portal => () =>
          portal.api(MEMBER, '/catalog/entities?filter=kind=component'),
      ),
    );
    const [taskAllowAll, taskPaved] = await timedSideBySide(
      REQUESTS,
      portals.map(
        (portal, i) => () =>
          portal.api(MEMBER, `/scaffolder/v2/tasks/${ids[i]}`),
      ),
    );
    return {
      allowAll: { catalogue: catalogueAllowAll, task: taskAllowAll },
      paved: { catalogue: cataloguePaved, task: taskPaved },
    };
  } finally {
    await Promise.all([stop(allowAll), stop(paved)]);
  }
}

async function creates(variant: Variant) {
  const portal = await start(variant);
  try {
    await createComponent(portal, `bench-warm-${variant.audit}`);
    const from = new Date().toISOString();
    const t0 = performance.now();
    const seconds: number[] = [];
    for (let i = 0; i < CREATES; i++) {
      seconds.push(
        (await createComponent(portal, `bench-${variant.audit}-${i}`)).seconds,
      );
    }
    const elapsed = (performance.now() - t0) / 1000;
    let events = 0;
    if (variant.audit === 'on') {
      await new Promise(r => setTimeout(r, 1500)); // the drain writes every second
      const { events: items } = await portal.api(
        ADMIN,
        `/audit/events?from=${encodeURIComponent(from)}&limit=1000`,
      );
      events = items.length;
    }
    return { median: percentile(seconds, 50), events, elapsed };
  } finally {
    await stop(portal);
  }
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main() {
  const { allowAll, paved } = await reads();
  const ratio = (a: number, b: number) => `${((a / b - 1) * 100).toFixed(1)} %`;
  console.log(
    `\nRead latency as ${MEMBER}, ${REQUESTS} requests each, the two backends side by side (after ${WARM_UP} warm-up rounds)`,
  );
  console.log(
    '| request | allow-all p50 / p95 | Paved policy p50 / p95 | p95 change |',
  );
  console.log('|---|---|---|---|');
  for (const key of ['catalogue', 'task'] as const) {
    console.log(
      `| ${
        key === 'catalogue' ? 'catalogue list (kind=component)' : 'task read'
      } | ${ms(allowAll[key].p50)} / ${ms(allowAll[key].p95)} | ${ms(
        paved[key].p50,
      )} / ${ms(paved[key].p95)} | ${ratio(
        paved[key].p95,
        allowAll[key].p95,
      )} |`,
    );
  }
  const off = await creates({ policy: 'paved', audit: 'off' });
  const on = await creates({ policy: 'paved', audit: 'on' });
  console.log(
    `\nCreate Component (node-service, local forge), ${CREATES} in a row after one warm-up`,
  );
  console.log(
    '| audit trail | median wall time | events stored | events per second |',
  );
  console.log('|---|---|---|---|');
  console.log(`| off | ${off.median.toFixed(2)} s | – | – |`);
  console.log(
    `| on | ${on.median.toFixed(2)} s | ${on.events} (${(
      on.events / CREATES
    ).toFixed(0)} per task) | ${(on.events / on.elapsed).toFixed(1)} |`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
