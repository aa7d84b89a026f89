/*
 * The node-service skeleton as "Create Component" renders it, run for real:
 * its own `npm ci` against the npm registry, lint, tests and build, then the
 * built server answers its probes, metrics and API document, and on SIGTERM
 * reports not ready while it drains before it exits 0.
 */
import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  startTemplateRenderer,
  writeFiles,
} from './__testUtils__/renderTemplate';

const STEP_TIMEOUT_MS = 5 * 60_000;

/** The environment of the skeleton's commands: this Node first on PATH, no npm_* settings of the runner. */
function skeletonEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [path.dirname(process.execPath), process.env.PATH].join(
      path.delimiter,
    ),
    ...extra,
  };
  for (const key of Object.keys(env)) {
    if (key.toLowerCase().startsWith('npm_')) delete env[key];
  }
  return env;
}

/** Runs a command in `cwd`; resolves with its exit code and output. */
function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: skeletonEnv() });
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

async function get(url: string) {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

describe('the node-service skeleton, rendered and run', () => {
  jest.setTimeout(4 * STEP_TIMEOUT_MS);
  const dir = createMockDirectory();
  let service: ChildProcess | undefined;

  beforeAll(async () => {
    const renderer = await startTemplateRenderer();
    try {
      const files = await renderer.render('node-service', {
        name: 'invoice-service',
        description: 'Invoices',
        owner: 'group:default/fulfilment',
        repoUrl: 'github.com?owner=kestrel&repo=invoice-service',
        deploy: false,
      });
      writeFiles(files, dir.path);
    } finally {
      await renderer.stop();
    }
  });

  afterAll(() => {
    if (service?.exitCode === null) service.kill('SIGKILL');
  });

  it('installs from its lockfile, lints, tests and builds', async () => {
    const outputs: Record<string, string> = {};
    for (const args of [
      ['ci', '--no-audit', '--no-fund'],
      ['run', 'lint'],
      ['test'],
      ['run', 'build'],
    ]) {
      const command = `npm ${args.join(' ')}`;
      const result = await run('npm', args, dir.path);
      // The output, when it failed, says why.
      expect({ command, ...result }).toEqual({
        command,
        code: 0,
        output: expect.any(String),
      });
      outputs[command] = result.output;
    }
    // node:test's summary: tests ran, none failed or were skipped.
    expect(outputs['npm test']).toMatch(/^# pass [1-9]\d*$/m);
    expect(outputs['npm test']).toMatch(/^# fail 0$/m);
    expect(outputs['npm test']).toMatch(/^# skipped 0$/m);
    expect(outputs['npm test']).toMatch(/^# todo 0$/m);
  });

  it('serves its probes, metrics and API, and on SIGTERM is not ready while it drains, then exits 0', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['dist/index.js'], {
      cwd: dir.path,
      env: skeletonEnv({
        PORT: String(port),
        SHUTDOWN_DELAY_MS: '2000',
        SHUTDOWN_TIMEOUT_MS: '5000',
      }),
    });
    service = child;
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', d => (stdout += d));
    child.stderr!.on('data', d => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: string | null }>(
      resolve => child.on('exit', (code, signal) => resolve({ code, signal })),
    );

    const deadline = Date.now() + 30_000;
    for (;;) {
      const ready = await get(`${base}/readyz`).catch(() => undefined);
      if (ready?.status === 200) break;
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `the service did not become ready:\n${stdout}${stderr}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }

    expect(await get(`${base}/healthz`)).toEqual({
      status: 200,
      text: '{"status":"ok"}',
    });
    const metrics = await get(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(
      /^# TYPE http_request_duration_seconds histogram$/m,
    );
    expect(metrics.text).toMatch(
      /^http_request_duration_seconds_count\{service="invoice-service",method="GET",route="\/healthz",status_code="200"\} 1$/m,
    );
    expect(metrics.text).toMatch(
      /^process_resident_memory_bytes\{service="invoice-service"\} \d+$/m,
    );
    const api = await get(`${base}/openapi.yaml`);
    expect(api.status).toBe(200);
    expect(parseYaml(api.text)).toMatchObject({
      openapi: expect.stringMatching(/^3\./),
      info: { title: 'invoice-service' },
    });

    const signalled = Date.now();
    child.kill('SIGTERM');
    // Within SHUTDOWN_DELAY_MS (the signal arrives asynchronously): still
    // serving, but not ready.
    let draining = await get(`${base}/readyz`);
    while (draining.status === 200 && Date.now() - signalled < 1000) {
      draining = await get(`${base}/readyz`);
    }
    expect(draining).toEqual({ status: 503, text: '{"status":"draining"}' });
    expect((await get(`${base}/healthz`)).status).toBe(200);
    expect(Date.now() - signalled).toBeLessThan(2000);
    expect(await exited).toEqual({ code: 0, signal: null });
    await expect(get(`${base}/healthz`)).rejects.toThrow();

    // Structured logs: every line is a JSON object with time, level, msg and service.
    expect(stderr).toBe('');
    const lines = stdout
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    for (const line of lines) {
      expect(line).toMatchObject({
        time: expect.any(String),
        level: expect.stringMatching(/^(debug|info|warn|error)$/),
        msg: expect.any(String),
        service: 'invoice-service',
      });
    }
    expect(lines.map(l => l.msg)).toEqual([
      'Listening',
      'Request',
      'Shutting down: not ready any more',
      'Closing the server',
      'Stopped',
    ]);
    expect(lines[0]).toMatchObject({ port, tracing: false });
  });
});
