/*
 * The scheduled-job skeleton as "Create Component" renders it: the same CI
 * as the Node.js service (the jobs the branch requires and the deploy
 * through Paved), a Dockerfile whose user is the CronJob's, the CronJob's
 * schedule and limits from the form, and the job itself run for real: its
 * own `npm ci` against the npm registry, lint, tests and build, then one
 * run that exits 0, one that exits 2 on bad configuration, and one that a
 * SIGTERM stops at a safe point with 143, every line of its log JSON.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { parseDockerfile } from './__testUtils__/dockerfile';
import {
  RenderedFiles,
  startTemplateRenderer,
  writeFiles,
} from './__testUtils__/renderTemplate';

const STEP_TIMEOUT_MS = 5 * 60_000;

const values = {
  name: 'nightly-report',
  description: 'Sends the nightly report',
  owner: 'group:default/fulfilment',
  schedule: '30 2 * * MON-FRI',
  timeZone: 'Europe/Berlin',
  maxRunMinutes: 20,
  repoUrl: 'github.com?owner=kestrel&repo=nightly-report',
  deploy: false,
};

const text = (files: RenderedFiles, file: string) => {
  const content = files.get(file);
  if (!content) throw new Error(`${file} was not rendered`);
  return content.toString('utf8');
};

/** This Node first on PATH, without the npm_* settings of the runner. */
function jobEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
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

/** Runs a command; resolves with its exit code and output, killing it at the timeout. */
function run(
  command: string,
  args: string[],
  cwd: string,
  options: {
    env?: Record<string, string>;
    onStdout?: (all: string) => void;
  } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: jobEnv(options.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => {
      stdout += d;
      options.onStdout?.call(child, stdout);
    });
    child.stderr.on('data', d => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map(l => JSON.parse(l));

describe('the scheduled-job skeleton, rendered', () => {
  jest.setTimeout(4 * STEP_TIMEOUT_MS);
  const dir = createMockDirectory();
  let files: RenderedFiles;
  let nodeService: RenderedFiles;

  beforeAll(async () => {
    const renderer = await startTemplateRenderer();
    try {
      files = await renderer.render('scheduled-job', values);
      nodeService = await renderer.render('node-service', {
        ...values,
        name: 'invoice-service',
        repoUrl: 'github.com?owner=kestrel&repo=invoice-service',
      });
    } finally {
      await renderer.stop();
    }
    writeFiles(files, dir.path);
  });

  it("has the node-service's CI: lint and test on pull requests, image and the deploy through Paved on main", () => {
    const ours = parseYaml(text(files, '.github/workflows/ci.yaml'));
    const theirs = parseYaml(text(nodeService, '.github/workflows/ci.yaml'));
    expect(Object.keys(ours.jobs)).toEqual(['lint', 'test', 'image', 'deploy']);
    expect(ours).toEqual(theirs);
    const validator = require.resolve('@action-validator/cli/cli.mjs');
    const checked = spawnSync(
      process.execPath,
      [validator, path.join(dir.path, '.github/workflows/ci.yaml')],
      { encoding: 'utf8' },
    );
    expect({ status: checked.status, stderr: checked.stderr }).toEqual({
      status: 0,
      stderr: '',
    });
  });

  it("builds an image whose user is the CronJob pod's runAsUser:runAsGroup, installing nothing in its runtime stage", () => {
    const stages = parseDockerfile(text(files, 'Dockerfile'));
    const final = stages[stages.length - 1];
    const cronJob = parseYaml(text(files, 'kubernetes/cronjob.yaml'));
    const pod = cronJob.spec.jobTemplate.spec.template.spec;
    const { runAsUser, runAsGroup, runAsNonRoot } = pod.securityContext;
    expect(runAsNonRoot).toBe(true);
    expect(runAsUser).not.toBe(0);
    expect(
      final.instructions.filter(i => i.keyword === 'USER').map(i => i.args),
    ).toEqual([`${runAsUser}:${runAsGroup}`]);
    expect(final.instructions.filter(i => i.keyword === 'RUN')).toEqual([]);
    expect(final.instructions).toContainEqual({
      keyword: 'CMD',
      args: '["node", "dist/index.js"]',
    });
    // What the Dockerfile copies from the context is rendered and let in.
    const allowed = text(files, '.dockerignore')
      .split('\n')
      .filter(l => l.startsWith('!'))
      .map(l => l.slice(1).replace(/\/$/, ''));
    for (const copy of stages.flatMap(s => s.instructions)) {
      if (copy.keyword !== 'COPY' || copy.args.startsWith('--from')) continue;
      for (const src of copy.args.split(/\s+/).slice(0, -1)) {
        expect([src, allowed.includes(src)]).toEqual([src, true]);
        expect([
          src,
          [...files.keys()].some(f => f === src || f.startsWith(`${src}/`)),
        ]).toEqual([src, true]);
      }
    }
  });

  it('renders a CronJob with the schedule, time zone and deadline of the form, its runs and pods labelled for the entity page', () => {
    const cronJob = parseYaml(text(files, 'kubernetes/cronjob.yaml'));
    const id = { 'backstage.io/kubernetes-id': values.name };
    expect(cronJob).toMatchObject({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: values.name, labels: id },
      spec: {
        schedule: values.schedule,
        timeZone: values.timeZone,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: expect.any(Number),
        successfulJobsHistoryLimit: expect.any(Number),
        failedJobsHistoryLimit: expect.any(Number),
        jobTemplate: {
          metadata: { labels: id },
          spec: {
            backoffLimit: expect.any(Number),
            activeDeadlineSeconds: values.maxRunMinutes * 60,
            template: {
              metadata: { labels: id },
              spec: { restartPolicy: 'Never' },
            },
          },
        },
      },
    });
    const [container] = cronJob.spec.jobTemplate.spec.template.spec.containers;
    expect(container.image).toBe('docker.io/library/busybox:1.37.0');
    expect(container.resources).toEqual({
      requests: { cpu: expect.any(String), memory: expect.any(String) },
      limits: { cpu: expect.any(String), memory: expect.any(String) },
    });
    const catalogInfo = parseYaml(text(files, 'catalog-info.yaml'));
    expect(catalogInfo.metadata.annotations).toMatchObject({
      ...id,
      'backstage.io/techdocs-ref': 'dir:.',
      'github.com/project-slug': 'kestrel/nightly-report',
    });
    expect(text(files, 'mkdocs.yml')).toContain('site_name: "nightly-report"');
    expect(files.has('docs/index.md')).toBe(true);
    expect(text(files, '.github/CODEOWNERS')).toMatch(
      /^\* @kestrel\/fulfilment$/m,
    );
  });

  it('installs from its lockfile with no production dependencies, lints, tests and builds', async () => {
    const lock = JSON.parse(text(files, 'package-lock.json'));
    expect(lock.name).toBe(values.name);
    expect(lock.packages[''].dependencies).toBeUndefined();
    const commands = [
      ['ci', '--no-audit', '--no-fund'],
      ['run', 'lint'],
      ['test'],
      ['run', 'build'],
    ];
    const codes: Array<{ command: string; code: number | null }> = [];
    let testOutput = '';
    for (const args of commands) {
      const result = await run('npm', args, dir.path);
      codes.push({ command: `npm ${args.join(' ')}`, code: result.code });
      if (args[0] === 'test') testOutput = result.stdout;
      if (result.code !== 0) break;
    }
    expect(codes).toEqual(
      commands.map(args => ({ command: `npm ${args.join(' ')}`, code: 0 })),
    );
    // node:test's summary: tests ran, none failed or were skipped.
    expect(testOutput).toMatch(/^# pass [1-9]\d*$/m);
    expect(testOutput).toMatch(/^# fail 0$/m);
    expect(testOutput).toMatch(/^# skipped 0$/m);
    const production = await run(
      'npm',
      ['ls', '--omit=dev', '--parseable', '--all'],
      dir.path,
    );
    // Only the package itself: the image carries no node_modules of note.
    expect(production.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('runs once and exits 0, exits 2 on bad configuration, and stops at a safe point with 143 on SIGTERM, logging JSON', async () => {
    const done = await run(process.execPath, ['dist/index.js'], dir.path, {
      env: { BATCH_SIZE: '10' },
    });
    expect({ code: done.code, stderr: done.stderr }).toEqual({
      code: 0,
      stderr: '',
    });
    expect(jsonLines(done.stdout).map(l => [l.level, l.msg, l.job])).toEqual([
      ['info', 'Run started', values.name],
      ['info', 'Run succeeded', values.name],
    ]);

    const misconfigured = await run(
      process.execPath,
      ['dist/index.js'],
      dir.path,
      { env: { DRY_RUN: 'maybe' } },
    );
    expect(misconfigured.code).toBe(2);
    expect(jsonLines(misconfigured.stdout)).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'Invalid configuration',
        error: 'DRY_RUN: "maybe" is not valid; expected true or false',
      }),
    ]);

    let signalled = false;
    const stopped = await run(process.execPath, ['dist/index.js'], dir.path, {
      env: { BATCH_SIZE: '1000000' },
      onStdout(this: any, all) {
        if (!signalled && all.includes('"Run started"')) {
          signalled = true;
          this.kill('SIGTERM');
        }
      },
    });
    expect(stopped.code).toBe(143);
    const lines = jsonLines(stopped.stdout);
    expect(lines.map(l => l.msg)).toEqual([
      'Run started',
      'Stopping early',
      'Run stopped by a signal',
    ]);
    expect(lines[2].processed).toBeLessThan(1_000_000);
  });
});
