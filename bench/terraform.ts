/*
 * The Terraform driver's own cost with the stand-in terraform
 * (packages/testkit/bin/terraform): wall time of TerraformRunner.plan and
 * .apply minus the time of the terraform commands themselves, measured by
 * running the stand-in bare with the same arguments; the same for an apply
 * on a second replica, which restores the saved plan from the database
 * first; and the memory of the process while a 5,000-line plan log streams
 * through the runner.
 *
 *   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs bench/terraform.ts [--runs=N] [--lines=N]
 *
 * Target (issue 5): under 300 ms beyond the binary's own time, per plan and
 * per apply; exit code 1 when the median misses it. See bench/README.md.
 */
import { DefaultTerraformRunner } from '@paved/plugin-terraform-node';
import { silentLogger as logger } from './silentLogger';
import { FakeTerraform, fakeTerraformPath } from '@paved/testkit';
import knexFactory from 'knex';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const arg = (name: string, fallback: number) =>
  Number(
    process.argv.find(a => a.startsWith(`--${name}=`))?.split('=')[1] ??
      fallback,
  );
const runs = arg('runs', 15);
const logLines = arg('lines', 5000);
const TARGET_MS = 300;
const MB = 1024 * 1024;
const MODULES = path.resolve(__dirname, '../templates/terraform/modules');
const variables = { name: 'bench-bucket', owner: 'platform' };

/** What the runner runs to apply a saved plan, run bare for comparison. */
const APPLY_ARGV = [
  'apply',
  '-json',
  '-input=false',
  '-lock-timeout=0s',
  'paved.tfplan',
];

/** Wall times of the runner, the binary's own times, and the difference. */
class Timings {
  readonly wall: number[] = [];
  readonly binary: number[] = [];
  add(wall: number, binary: number) {
    this.wall.push(wall);
    this.binary.push(binary);
  }
  get own(): number[] {
    return this.wall.map((w, i) => w - this.binary[i]);
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

const median = (values: number[]) => percentile(values, 0.5);
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** The environment the runner gives terraform, for the bare runs. */
function terraformEnv(fake: FakeTerraform): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    ...fake.env,
  };
}

/** Runs the stand-in bare; resolves with its wall time and stdout line count. */
function bare(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(fakeTerraformPath, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let lines = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 10) lines++;
    });
    child.once('error', reject);
    child.once('close', code => {
      if (code !== 0 && code !== 2) {
        reject(new Error(`terraform ${args.join(' ')} exited ${code}`));
      } else {
        resolve({ ms: ms(start), lines });
      }
    });
  });
}

async function createRunner(
  root: string,
  fake: FakeTerraform,
  shared?: { knex: ReturnType<typeof knexFactory>; workDir: string },
) {
  const knex =
    shared?.knex ??
    knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  const runner = await DefaultTerraformRunner.create({
    settings: {
      binary: fakeTerraformPath,
      modulesDir: MODULES,
      workDir: shared?.workDir ?? path.join(root, 'work'),
      // State where both replicas reach it, as a remote backend would be.
      backend: { type: 'local', directory: path.join(root, 'state') },
      planEncryptionKey: 'bench-plan-encryption-key-0123456789abcdef',
      planMaxAgeMs: 3_600_000,
      cancelGracePeriodMs: 10_000,
      lockLeaseMs: 120_000,
      stateLockTimeoutMs: 0,
      environment: fake.env,
      secretEnvironment: {},
    },
    logger,
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  return { runner, knex };
}

function row(name: string, values: number[], note = '') {
  return `${name.padEnd(50)} ${median(values)
    .toFixed(0)
    .padStart(7)} ${percentile(values, 0.9).toFixed(0).padStart(7)}  ${note}`;
}

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-terraform-'));
  const fake = FakeTerraform.create({ dir: path.join(root, 'fake') });
  const env = terraformEnv(fake);
  const { runner, knex } = await createRunner(root, fake);
  const runDir = (workspace: string, planId: string) =>
    path.join(root, 'work', workspace, 'runs', planId);

  try {
    // Warm-up: the version check and the module catalogue happen once per runner.
    const warm = await runner.plan({
      module: 'object-bucket',
      workspace: 'warm-up',
      variables,
    });
    await runner.apply({ planId: warm.planId });

    // Plan: the runner's plan, then its own commands bare, in its run directory.
    const plan = new Timings();
    for (let i = 0; i < runs; i++) {
      const workspace = `plan-${i}`;
      const before = fake.invocations().length;
      const start = process.hrtime.bigint();
      const saved = await runner.plan({
        module: 'object-bucket',
        workspace,
        variables,
      });
      const wall = ms(start);
      const calls = fake.invocations().slice(before);
      let binary = 0;
      for (const call of calls) {
        binary += (await bare(call.argv, runDir(workspace, saved.planId), env))
          .ms;
      }
      plan.add(wall, binary);
    }

    // Apply: the runner applies one of two identical plans, the other is applied bare.
    const apply = new Timings();
    for (let i = 0; i < runs; i++) {
      const viaRunner = await runner.plan({
        module: 'object-bucket',
        workspace: `apply-a-${i}`,
        variables,
      });
      const viaBare = await runner.plan({
        module: 'object-bucket',
        workspace: `apply-b-${i}`,
        variables,
      });
      const start = process.hrtime.bigint();
      await runner.apply({ planId: viaRunner.planId });
      const wall = ms(start);
      const { ms: binary } = await bare(
        APPLY_ARGV,
        runDir(`apply-b-${i}`, viaBare.planId),
        env,
      );
      apply.add(wall, binary);
    }

    // Apply on another replica: it has no run directory, so it restores the
    // plan from the database, runs init and applies. Bare: init and apply of
    // a twin plan in a copy of its run directory without .terraform.
    const { runner: other } = await createRunner(root, fake, {
      knex,
      workDir: path.join(root, 'work-other'),
    });
    const moved = new Timings();
    for (let i = 0; i < runs; i++) {
      const viaRunner = await runner.plan({
        module: 'object-bucket',
        workspace: `moved-a-${i}`,
        variables,
      });
      const twinWorkspace = `moved-b-${i}`;
      const before = fake.invocations().length;
      const twin = await runner.plan({
        module: 'object-bucket',
        workspace: twinWorkspace,
        variables,
      });
      const twinDir = runDir(twinWorkspace, twin.planId);
      const init = fake
        .invocations()
        .slice(before)
        .find(c => c.argv[0] === 'init')!;
      const copy = path.join(root, 'bare-copies', twinWorkspace);
      fs.cpSync(twinDir, copy, {
        recursive: true,
        filter: src => path.basename(src) !== '.terraform',
      });
      const start = process.hrtime.bigint();
      await other.apply({ planId: viaRunner.planId });
      const wall = ms(start);
      const binary =
        (await bare(init.argv, copy, env)).ms +
        (await bare(APPLY_ARGV, copy, env)).ms;
      moved.add(wall, binary);
    }

    // Memory: a plan whose -json log is `logLines` lines (version,
    // planned_change per resource, change_summary, outputs).
    const resources = logLines - 3;
    fake.setScenario({
      resources: Array.from({ length: resources }, (_, i) => ({
        address: `aws_s3_object.o${i}`,
        values: { key: `objects/${i}`, bucket: '${var.name}' },
      })),
      outputs: { bucket_name: { value: '${var.name}' } },
    });
    const gc = (globalThis as any).gc as (() => void) | undefined;
    gc?.();
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakHeap = baseline.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 2);
    let progressLines = 0;
    const start = process.hrtime.bigint();
    const big = await runner.plan(
      { module: 'object-bucket', workspace: 'big-plan', variables },
      { onProgress: () => void progressLines++ },
    );
    const bigWall = ms(start);
    clearInterval(sampler);
    const sampled = process.memoryUsage();
    peakRss = Math.max(peakRss, sampled.rss);
    peakHeap = Math.max(peakHeap, sampled.heapUsed);
    const bigBare = await bare(
      [
        'plan',
        '-json',
        '-input=false',
        '-lock-timeout=0s',
        '-detailed-exitcode',
        '-out=paved.tfplan',
      ],
      runDir('big-plan', big.planId),
      env,
    );

    const out: string[] = [];
    out.push(
      `Terraform driver overhead with the stand-in (${runs} runs each, ms; Node ${
        process.version
      }, ${os.cpus().length} CPUs)`,
    );
    out.push(`${''.padEnd(50)} ${'median'.padStart(7)} ${'p90'.padStart(7)}`);
    out.push(row('plan: TerraformRunner.plan wall time', plan.wall));
    out.push(
      row(
        'plan: stand-in alone (init + plan + show)',
        plan.binary,
        'same argv, env and directory',
      ),
    );
    const planOwn = median(plan.own);
    out.push(
      row(
        'plan: runner overhead',
        plan.own,
        `target < ${TARGET_MS} ms: ${planOwn < TARGET_MS ? 'OK' : 'FAIL'}`,
      ),
    );
    out.push(row('apply: TerraformRunner.apply wall time', apply.wall));
    out.push(row('apply: stand-in alone (apply of a twin plan)', apply.binary));
    const applyOwn = median(apply.own);
    out.push(
      row(
        'apply: runner overhead',
        apply.own,
        `target < ${TARGET_MS} ms: ${applyOwn < TARGET_MS ? 'OK' : 'FAIL'}`,
      ),
    );
    out.push(
      row('apply elsewhere: TerraformRunner.apply wall time', moved.wall),
    );
    out.push(
      row('apply elsewhere: stand-in alone (init + apply)', moved.binary),
    );
    const movedOwn = median(moved.own);
    out.push(
      row(
        'apply elsewhere: runner overhead',
        moved.own,
        `target < ${TARGET_MS} ms: ${movedOwn < TARGET_MS ? 'OK' : 'FAIL'}`,
      ),
    );
    out.push('');
    out.push(
      `Memory while a ${
        bigBare.lines
      }-line plan log streams (${resources} resources, plan + show -json + summary)${
        gc ? '' : ' (run with --expose-gc for a settled baseline)'
      }`,
    );
    out.push(
      `  RSS   baseline ${(baseline.rss / MB).toFixed(1)} MB, peak ${(
        peakRss / MB
      ).toFixed(1)} MB, +${((peakRss - baseline.rss) / MB).toFixed(1)} MB`,
    );
    out.push(
      `  heap  baseline ${(baseline.heapUsed / MB).toFixed(1)} MB, peak ${(
        peakHeap / MB
      ).toFixed(1)} MB, +${((peakHeap - baseline.heapUsed) / MB).toFixed(
        1,
      )} MB`,
    );
    out.push(
      `  wall  ${bigWall.toFixed(
        0,
      )} ms through the runner (${progressLines} progress lines), stand-in plan alone ${bigBare.ms.toFixed(
        0,
      )} ms`,
    );
    process.stdout.write(`${out.join('\n')}\n`);
    if (planOwn >= TARGET_MS || applyOwn >= TARGET_MS || movedOwn >= TARGET_MS)
      process.exitCode = 1;
  } finally {
    await knex.destroy();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
