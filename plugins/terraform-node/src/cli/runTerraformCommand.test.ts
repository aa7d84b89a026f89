import { createMockDirectory } from '@backstage/backend-test-utils';
import { FakeTerraform } from '@paved/testkit';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runTerraformCommand } from './runTerraformCommand';
import { TerraformProcesses } from './TerraformProcesses';

jest.setTimeout(60_000);

/** Whether a process runs (a zombie, dead but not yet reaped, does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

async function eventually<T>(fn: () => T | undefined, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 50));
  }
}

describe('runTerraformCommand', () => {
  const mockDir = createMockDirectory();
  let fake: FakeTerraform;
  let cwd: string;
  const started: number[] = [];

  beforeEach(() => {
    mockDir.clear();
    fake = FakeTerraform.create({ dir: mockDir.resolve('fake') });
    // init waits a minute: time enough to kill whoever started it.
    fake.setScenario({ delays: { initMs: 60_000 } });
    cwd = mockDir.resolve('run');
    fs.mkdirSync(cwd, { recursive: true });
  });

  afterEach(() => {
    for (const pid of started.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });

  /** The pid of the stand-in's init, once it has started. */
  const initPid = () =>
    eventually(() => fake.invocations().find(i => i.argv[0] === 'init')?.pid);

  it('leaves no terraform running when the backend that started it is killed with SIGKILL', async () => {
    const script = mockDir.resolve('backend.js');
    fs.writeFileSync(
      script,
      `const { runTerraformCommand } = require(${JSON.stringify(
        path.join(__dirname, 'runTerraformCommand.ts'),
      )});
runTerraformCommand(JSON.parse(process.argv[2]));
setInterval(() => {}, 1000);
`,
    );
    const backend: ChildProcess = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        script,
        JSON.stringify({
          binary: fake.binary,
          args: ['init'],
          cwd,
          env: { ...fake.env, PATH: process.env.PATH },
          gracePeriodMs: 2_000,
        }),
      ],
      { stdio: 'ignore' },
    );
    started.push(backend.pid!);
    const terraform = await initPid();
    started.push(terraform);
    expect(alive(terraform)).toBe(true);

    backend.kill('SIGKILL');
    const before = Date.now();
    await eventually(() => !alive(terraform), 10_000);
    expect(Date.now() - before).toBeLessThan(5_000);
  });

  it('stops running commands at shutdown (SIGTERM, then SIGKILL), waits for them, and starts no more', async () => {
    const processes = new TerraformProcesses();
    const running = runTerraformCommand({
      binary: fake.binary,
      args: ['init'],
      cwd,
      env: { ...fake.env, PATH: process.env.PATH },
      gracePeriodMs: 2_000,
      processes,
    });
    const terraform = await initPid();
    started.push(terraform);
    expect(processes.size).toBe(1);

    const before = Date.now();
    await processes.stopAll({ gracePeriodMs: 5_000 });
    expect(Date.now() - before).toBeLessThan(5_000);
    expect(alive(terraform)).toBe(false);
    expect(processes.size).toBe(0);
    const result = await running;
    expect(result.exitCode === 0).toBe(false);

    await expect(
      runTerraformCommand({
        binary: fake.binary,
        args: ['version', '-json'],
        cwd,
        env: { ...fake.env, PATH: process.env.PATH },
        gracePeriodMs: 2_000,
        processes,
      }),
    ).rejects.toThrow('terraform is not started: the backend is shutting down');
  });

  it('kills at shutdown a terraform that ignores SIGTERM, after the grace period', async () => {
    const stubborn = mockDir.resolve('stubborn');
    fs.writeFileSync(
      stubborn,
      `#!/usr/bin/env node
process.on('SIGTERM', () => {});
process.on('SIGINT', () => {});
require('node:fs').writeFileSync(${JSON.stringify(
        mockDir.resolve('stubborn.pid'),
      )}, String(process.pid));
setInterval(() => {}, 1000);
`,
      { mode: 0o755 },
    );
    const processes = new TerraformProcesses();
    const running = runTerraformCommand({
      binary: stubborn,
      args: [],
      cwd,
      env: { PATH: process.env.PATH },
      gracePeriodMs: 30_000,
      processes,
    });
    const pid = await eventually(() => {
      const file = mockDir.resolve('stubborn.pid');
      return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : 0;
    });
    started.push(pid);
    const before = Date.now();
    await processes.stopAll({ gracePeriodMs: 1_000 });
    expect(Date.now() - before).toBeGreaterThanOrEqual(900);
    expect(alive(pid)).toBe(false);
    expect((await running).signal).toBe('SIGKILL');
  });

  it('says a missing binary in terms of paved.terraform.binary', async () => {
    await expect(
      runTerraformCommand({
        binary: mockDir.resolve('no/terraform'),
        args: ['version'],
        cwd,
        env: { PATH: process.env.PATH },
        gracePeriodMs: 1_000,
      }),
    ).rejects.toThrow(
      `Terraform binary not found: "${mockDir.resolve(
        'no/terraform',
      )}" does not exist (paved.terraform.binary: set it to the path of terraform or tofu)`,
    );
    await expect(
      runTerraformCommand({
        binary: 'no-such-terraform',
        args: ['version'],
        cwd,
        env: { PATH: process.env.PATH },
        gracePeriodMs: 1_000,
      }),
    ).rejects.toThrow('"no-such-terraform" is not on PATH');
  });
});
