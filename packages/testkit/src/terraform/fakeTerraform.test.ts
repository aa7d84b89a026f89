/*
 * The stand-in terraform against Terraform's documented machine-readable
 * interface, and, whenever terraform or tofu is on PATH, against the real
 * binary: the same commands on the same terraform_data module must give the
 * same exit codes, message types and message shapes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeTerraform, fakeTerraformPath } from './index';

jest.setTimeout(60_000);

const FIXTURE = path.join(__dirname, '__fixtures__', 'data-only', 'main.tf');
const SECRET = 'fixture-secret-5e6f7a8b';

function findRealBinary(): string | undefined {
  for (const name of ['terraform', 'tofu']) {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  messages: Array<Record<string, any>>;
}

function cli(
  binary: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.once('error', reject);
    child.once('close', code => {
      const messages = args.includes('-json')
        ? stdout
            .split('\n')
            .filter(l => l.startsWith('{"@level"'))
            .map(l => JSON.parse(l))
        : [];
      resolve({ code, stdout, stderr, messages });
    });
  });
}

/** The structure of a value: keys kept, leaves replaced by their JSON type. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map(k => [k, shape((value as any)[k])]),
    );
  }
  return value === null ? 'null' : typeof value;
}

/** Per message type, the distinct shapes of its messages. */
function shapesByType(messages: CliResult['messages']) {
  const out: Record<string, string[]> = {};
  for (const m of messages) {
    const s = JSON.stringify(shape(m));
    out[m.type] = [...new Set([...(out[m.type] ?? []), s])].sort();
  }
  return out;
}

/** A working directory with the fixture, a local backend and variables. */
function workDir(root: string, name: string, vars: object) {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(FIXTURE, path.join(dir, 'main.tf'));
  fs.writeFileSync(
    path.join(dir, 'backend.tf.json'),
    JSON.stringify({ terraform: { backend: { local: {} } } }),
  );
  fs.writeFileSync(
    path.join(dir, 'run.auto.tfvars.json'),
    JSON.stringify(vars),
  );
  return dir;
}

/** Every step of a workspace's life, as the runner drives it. */
async function lifecycle(binary: string, root: string, env: NodeJS.ProcessEnv) {
  const dir = workDir(root, 'ws', { name: 'x', secret: SECRET });
  const statePath = path.join(root, 'state', 'terraform.tfstate');
  const run = (args: string[]) => cli(binary, args, dir, env);
  const init = await run([
    'init',
    '-input=false',
    '-no-color',
    `-backend-config=path=${statePath}`,
  ]);
  const plan = await run([
    'plan',
    '-json',
    '-input=false',
    '-detailed-exitcode',
    '-out=run.tfplan',
  ]);
  const show = await run(['show', '-json', 'run.tfplan']);
  const stalePlan = await run([
    'plan',
    '-json',
    '-input=false',
    '-out=old.tfplan',
  ]);
  const apply = await run(['apply', '-json', '-input=false', 'run.tfplan']);
  const state = JSON.parse(fs.readFileSync(statePath, 'utf8'));
  const stale = await run(['apply', '-json', '-input=false', 'old.tfplan']);
  const output = await run(['output', '-json']);
  const outputName = await run(['output', '-json', 'name']);
  const noChanges = await run([
    'plan',
    '-json',
    '-input=false',
    '-detailed-exitcode',
  ]);
  const destroy = await run([
    'destroy',
    '-json',
    '-input=false',
    '-auto-approve',
  ]);
  const missingDir = workDir(root, 'missing', {});
  await cli(binary, ['init', '-input=false'], missingDir, env);
  const missing = await cli(
    binary,
    ['plan', '-json', '-input=false', '-detailed-exitcode'],
    missingDir,
    env,
  );
  return {
    init,
    plan,
    show,
    stalePlan,
    apply,
    state,
    stale,
    output,
    outputName,
    noChanges,
    destroy,
    missing,
  };
}

type Lifecycle = Awaited<ReturnType<typeof lifecycle>>;

/** What the fixture does, for the stand-in. */
const FIXTURE_SCENARIO = {
  resources: [
    { address: 'terraform_data.plain', values: { input: '${var.name}' } },
    {
      address: 'terraform_data.secret',
      values: { input: '${var.secret}' },
      sensitive: ['input'],
    },
  ],
  outputs: {
    name: { value: '${var.name}' },
    secret: { value: '${var.secret}', sensitive: true },
  },
};

const real = findRealBinary();
if (!real) {
  process.stdout.write(
    'fakeTerraform.test.ts: comparison with the real terraform/tofu NOT RUN: neither is on PATH; the stand-in is checked against the documented interface only\n',
  );
}

describe('the stand-in terraform', () => {
  let root: string;
  let fake: FakeTerraform;
  let env: NodeJS.ProcessEnv;
  let standIn: Lifecycle;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-fake-terraform-'));
    fake = FakeTerraform.create({ dir: path.join(root, 'fake') });
    fake.setScenario(FIXTURE_SCENARIO);
    env = {
      ...process.env,
      ...fake.env,
      TF_CLI_CONFIG_FILE: '/dev/null',
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
    };
    standIn = await lifecycle(
      fakeTerraformPath,
      path.join(root, 'stand-in'),
      env,
    );
  });

  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers with the exit codes Terraform documents, -detailed-exitcode included', () => {
    expect({
      init: standIn.init.code,
      plan: standIn.plan.code,
      show: standIn.show.code,
      apply: standIn.apply.code,
      stale: standIn.stale.code,
      output: standIn.output.code,
      noChanges: standIn.noChanges.code,
      destroy: standIn.destroy.code,
      missing: standIn.missing.code,
    }).toEqual({
      init: 0,
      plan: 2,
      show: 0,
      apply: 0,
      stale: 1,
      output: 0,
      noChanges: 0,
      destroy: 0,
      missing: 1,
    });
  });

  it('streams the JSON UI messages: version, planned_change, change_summary, outputs, apply_start, apply_complete, diagnostic', () => {
    for (const m of [
      ...standIn.plan.messages,
      ...standIn.apply.messages,
      ...standIn.destroy.messages,
    ]) {
      expect(Object.keys(m)).toEqual(
        expect.arrayContaining([
          '@level',
          '@message',
          '@module',
          '@timestamp',
          'type',
        ]),
      );
      expect(m['@module']).toBe('terraform.ui');
      expect(m['@timestamp']).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/,
      );
    }
    const types = (r: CliResult) => r.messages.map(m => m.type);
    expect(types(standIn.plan)).toEqual([
      'version',
      'planned_change',
      'planned_change',
      'change_summary',
      'outputs',
    ]);
    expect(standIn.plan.messages[0]).toMatchObject({
      '@message': 'Terraform 1.11.4',
      terraform: '1.11.4',
      ui: '1.2',
    });
    expect(standIn.plan.messages[1].change).toEqual({
      resource: {
        addr: 'terraform_data.plain',
        module: '',
        resource: 'terraform_data.plain',
        implied_provider: 'terraform',
        resource_type: 'terraform_data',
        resource_name: 'plain',
        resource_key: null,
      },
      action: 'create',
    });
    expect(standIn.plan.messages[3]).toMatchObject({
      '@message': 'Plan: 2 to add, 0 to change, 0 to destroy.',
      changes: { add: 2, change: 0, import: 0, remove: 0, operation: 'plan' },
    });
    expect(standIn.plan.messages[4].outputs).toEqual({
      name: { sensitive: false, action: 'create' },
      secret: { sensitive: true, action: 'create' },
    });

    expect(types(standIn.apply)).toEqual([
      'version',
      'planned_change',
      'planned_change',
      'apply_start',
      'apply_complete',
      'apply_start',
      'apply_complete',
      'change_summary',
      'outputs',
    ]);
    const complete = standIn.apply.messages[4];
    expect(complete['@message']).toMatch(
      /^terraform_data\.plain: Creation complete after 0s \[id=[0-9a-f-]{36}\]$/,
    );
    expect(complete.hook).toEqual({
      resource: expect.objectContaining({ addr: 'terraform_data.plain' }),
      action: 'create',
      id_key: 'id',
      id_value: expect.stringMatching(/^[0-9a-f-]{36}$/),
      elapsed_seconds: 0,
    });
    expect(standIn.apply.messages[7]).toMatchObject({
      '@message': 'Apply complete! Resources: 2 added, 0 changed, 0 destroyed.',
      changes: { add: 2, change: 0, remove: 0, operation: 'apply' },
    });
    // Sensitive outputs are named without their value.
    expect(standIn.apply.messages[8].outputs.secret).toEqual({
      sensitive: true,
      type: expect.anything(),
    });
    expect(standIn.apply.stdout).not.toContain(SECRET);

    expect(standIn.destroy.messages.at(-1)).toMatchObject({
      '@message': 'Destroy complete! Resources: 2 destroyed.',
      changes: { remove: 2, operation: 'destroy' },
    });
    expect(standIn.missing.messages.at(-1)).toMatchObject({
      '@level': 'error',
      '@message': 'Error: No value for required variable',
      type: 'diagnostic',
      diagnostic: {
        severity: 'error',
        summary: 'No value for required variable',
      },
    });
    expect(standIn.stale.messages.at(-1)).toMatchObject({
      '@message': 'Error: Saved plan is stale',
      diagnostic: { summary: 'Saved plan is stale' },
    });
  });

  it('shows a saved plan in the plan JSON format, sensitive values marked', () => {
    const plan = JSON.parse(standIn.show.stdout);
    expect(plan).toMatchObject({
      format_version: '1.2',
      terraform_version: '1.11.4',
      applyable: true,
      complete: true,
      errored: false,
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    const secret = plan.resource_changes.find(
      (r: any) => r.address === 'terraform_data.secret',
    );
    expect(secret).toMatchObject({
      mode: 'managed',
      type: 'terraform_data',
      name: 'secret',
      provider_name: 'terraform.io/builtin/terraform',
      change: {
        actions: ['create'],
        before: null,
        after_sensitive: { input: true },
        after_unknown: expect.objectContaining({ id: true }),
      },
    });
    expect(plan.output_changes.secret).toMatchObject({
      actions: ['create'],
      after_sensitive: true,
    });
  });

  it('keeps state as Terraform does and prints outputs as output -json does', () => {
    expect(standIn.state).toMatchObject({
      version: 4,
      terraform_version: '1.11.4',
      lineage: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(standIn.state.serial).toBeGreaterThan(0);
    expect(
      standIn.state.resources.map((r: any) => [r.mode, r.type, r.name]),
    ).toEqual([
      ['managed', 'terraform_data', 'plain'],
      ['managed', 'terraform_data', 'secret'],
    ]);
    // Pretty-printed with two spaces, as terraform prints it.
    expect(standIn.output.stdout).toMatch(/^\{\n {2}"name": \{\n {4}"/);
    expect(JSON.parse(standIn.output.stdout).secret).toEqual({
      sensitive: true,
      type: 'string',
      value: SECRET,
    });
    expect(standIn.outputName.stdout).toBe('"x"\n');
  });

  it('streams apply_progress for slow resources and holds the lock file while it runs', async () => {
    fake.setScenario({
      resources: [{ address: 'terraform_data.plain', applyMs: 600 }],
      delays: { progressIntervalMs: 150 },
    });
    try {
      const dir = workDir(root, 'slow', { name: 'slow' });
      const statePath = path.join(root, 'slow-state', 'terraform.tfstate');
      await cli(
        fakeTerraformPath,
        ['init', `-backend-config=path=${statePath}`],
        dir,
        env,
      );
      const lockFile = path.join(
        path.dirname(statePath),
        '.terraform.tfstate.lock.info',
      );
      const running = cli(
        fakeTerraformPath,
        ['apply', '-json', '-auto-approve'],
        dir,
        env,
      );
      while (!fs.existsSync(lockFile)) {
        await new Promise(r => setTimeout(r, 10));
      }
      expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toEqual({
        ID: expect.stringMatching(/^[0-9a-f-]{36}$/),
        Operation: 'OperationTypeApply',
        Info: '',
        Who: `${os.userInfo().username}@${os.hostname()}`,
        Version: '1.11.4',
        Created: expect.any(String),
        Path: statePath,
      });
      const result = await running;
      expect(result.code).toBe(0);
      const progress = result.messages.filter(m => m.type === 'apply_progress');
      expect(progress.length).toBeGreaterThanOrEqual(2);
      expect(progress[0]).toMatchObject({
        '@message': 'terraform_data.plain: Still creating... [0s elapsed]',
        hook: {
          resource: expect.objectContaining({ addr: 'terraform_data.plain' }),
          action: 'create',
          elapsed_seconds: 0,
        },
      });
      expect(fs.existsSync(lockFile)).toBe(false);
    } finally {
      fake.setScenario(FIXTURE_SCENARIO);
    }
  });

  it('stops on SIGINT, releasing its lock, and crashes with exit code 11 when told to', async () => {
    fake.setScenario({
      resources: [{ address: 'terraform_data.plain', applyMs: 20_000 }],
    });
    try {
      const dir = workDir(root, 'interrupt', { name: 'i' });
      await cli(fakeTerraformPath, ['init'], dir, env);
      const child = spawn(
        fakeTerraformPath,
        ['apply', '-json', '-auto-approve'],
        {
          cwd: dir,
          env,
        },
      );
      let stdout = '';
      child.stdout.on('data', d => (stdout += d));
      while (!stdout.includes('"apply_start"')) {
        await new Promise(r => setTimeout(r, 10));
      }
      const started = Date.now();
      child.kill('SIGINT');
      const code = await new Promise(r => child.once('close', r));
      expect(code).toBe(1);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(stdout).toContain('Interrupt received');
      expect(stdout).toContain('"type":"apply_errored"');
      expect(
        fs.existsSync(path.join(dir, '.terraform.tfstate.lock.info')),
      ).toBe(false);

      fake.setScenario({ apply: { crashAfter: 1 } });
      const crashed = await cli(
        fakeTerraformPath,
        ['apply', '-json', '-auto-approve'],
        dir,
        env,
      );
      expect(crashed.code).toBe(11);
      expect(crashed.stderr).toContain(
        '!!!!!!!!!!!!!!!!!!!!!!!!!!! TERRAFORM CRASH',
      );
    } finally {
      fake.setScenario(FIXTURE_SCENARIO);
    }
  });

  it('keeps provider selections in .terraform.lock.hcl and applies a saved plan only with the same selections and version', async () => {
    const dir = workDir(root, 'locked', { name: 'l' });
    fs.writeFileSync(
      path.join(dir, 'versions.tf'),
      'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n  }\n}\n',
    );
    const statePath = path.join(root, 'locked-state', 'terraform.tfstate');
    const init = (cwd: string) =>
      cli(
        fakeTerraformPath,
        ['init', '-input=false', `-backend-config=path=${statePath}`],
        cwd,
        env,
      );
    try {
      fake.setScenario({
        ...FIXTURE_SCENARIO,
        providerVersions: { 'hashicorp/aws': '5.80.0' },
      });
      expect((await init(dir)).stdout).toContain(
        'Terraform has created a lock file .terraform.lock.hcl',
      );
      const lock = fs.readFileSync(
        path.join(dir, '.terraform.lock.hcl'),
        'utf8',
      );
      expect(lock).toMatch(
        new RegExp(
          [
            '^# This file is maintained automatically by "terraform init"\\.',
            '# Manual edits may be lost in future updates\\.',
            '',
            'provider "registry\\.terraform\\.io/hashicorp/aws" \\{',
            '  version     = "5\\.80\\.0"',
            '  constraints = "~> 5\\.0"',
            '  hashes = \\[',
            '    "h1:[A-Za-z0-9+/=]+",',
            '  \\]',
            '\\}',
            '$',
          ].join('\n'),
        ),
      );
      expect(
        (
          await cli(
            fakeTerraformPath,
            ['plan', '-json', '-input=false', '-out=run.tfplan'],
            dir,
            env,
          )
        ).code,
      ).toBe(0);

      // A newer provider release: a fresh directory selects it, and the
      // saved plan will not apply there.
      fake.setScenario({
        ...FIXTURE_SCENARIO,
        providerVersions: { 'hashicorp/aws': '5.81.0' },
      });
      const elsewhere = workDir(root, 'locked-elsewhere', { name: 'l' });
      fs.copyFileSync(
        path.join(dir, 'versions.tf'),
        path.join(elsewhere, 'versions.tf'),
      );
      await init(elsewhere);
      fs.copyFileSync(
        path.join(dir, 'run.tfplan'),
        path.join(elsewhere, 'run.tfplan'),
      );
      const apply = (cwd: string) =>
        cli(
          fakeTerraformPath,
          ['apply', '-json', '-input=false', 'run.tfplan'],
          cwd,
          env,
        );
      const inconsistent = await apply(elsewhere);
      expect(inconsistent.code).toBe(1);
      expect(
        inconsistent.messages.find(m => m.type === 'diagnostic')?.diagnostic,
      ).toMatchObject({
        severity: 'error',
        summary: 'Inconsistent dependency lock file',
        detail:
          'The given plan file was created with a different set of external dependency selections than the current configuration. A saved plan can be applied only to the same configuration it was created from.\n\nCreate a new plan from the updated configuration.',
      });

      // With the lock file it was planned with, init keeps its selections.
      const restored = workDir(root, 'locked-restored', { name: 'l' });
      fs.copyFileSync(
        path.join(dir, 'versions.tf'),
        path.join(restored, 'versions.tf'),
      );
      fs.writeFileSync(path.join(restored, '.terraform.lock.hcl'), lock);
      expect((await init(restored)).stdout).toContain(
        '- Reusing previous version of hashicorp/aws from the dependency lock file',
      );
      expect(
        fs.readFileSync(path.join(restored, '.terraform.lock.hcl'), 'utf8'),
      ).toBe(lock);
      fs.copyFileSync(
        path.join(dir, 'run.tfplan'),
        path.join(restored, 'run.tfplan'),
      );

      // Another terraform version cannot read the plan file at all.
      fake.setScenario({ ...FIXTURE_SCENARIO, version: '1.12.0' });
      const otherVersion = await apply(restored);
      expect(otherVersion.code).toBe(1);
      expect(
        otherVersion.messages.find(m => m.type === 'diagnostic')?.diagnostic,
      ).toMatchObject({
        summary: 'Failed to read plan from plan file',
        detail:
          'Cannot read the plan from the given plan file: plan file was created by Terraform 1.11.4, but this is 1.12.0; plan files cannot be transferred between different Terraform versions.',
      });

      fake.setScenario(FIXTURE_SCENARIO);
      expect((await apply(restored)).code).toBe(0);
    } finally {
      fake.setScenario(FIXTURE_SCENARIO);
    }
  });

  it.each([
    ['the stand-in', fakeTerraformPath],
    ...(real ? [[`the real ${path.basename(real)}`, real]] : []),
  ])(
    'leaves a create whose provisioner failed tainted, and plans its replacement (%s)',
    async (name, binary) => {
      const dir = path.join(root, `tainted-${name.replace(/\W+/g, '-')}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'main.tf'),
        'resource "terraform_data" "flaky" {\n  input = "x"\n\n  provisioner "local-exec" {\n    command = "exit 1"\n  }\n}\n',
      );
      fake.setScenario({
        resources: [
          { address: 'terraform_data.flaky', values: { input: 'x' } },
        ],
        apply: {
          failAt: 'terraform_data.flaky',
          failure: { summary: 'local-exec provisioner error', tainted: true },
        },
      });
      try {
        expect((await cli(binary, ['init'], dir, env)).code).toBe(0);
        const apply = await cli(
          binary,
          ['apply', '-json', '-auto-approve', '-input=false'],
          dir,
          env,
        );
        expect(apply.code).toBe(1);
        expect(
          apply.messages.find(m => m.type === 'diagnostic')?.diagnostic.summary,
        ).toBe('local-exec provisioner error');
        const state = JSON.parse(
          fs.readFileSync(path.join(dir, 'terraform.tfstate'), 'utf8'),
        );
        expect(state.resources[0].instances[0].status).toBe('tainted');
        const plan = await cli(
          binary,
          ['plan', '-json', '-input=false', '-out=next.tfplan'],
          dir,
          env,
        );
        expect(
          plan.messages.find(m => m.type === 'planned_change')?.change,
        ).toMatchObject({ action: 'replace', reason: 'tainted' });
        const shown = JSON.parse(
          (await cli(binary, ['show', '-json', 'next.tfplan'], dir, env))
            .stdout,
        );
        expect(shown.resource_changes[0]).toMatchObject({
          action_reason: 'replace_because_tainted',
          change: { actions: ['delete', 'create'] },
        });
      } finally {
        fake.setScenario(FIXTURE_SCENARIO);
      }
    },
  );

  if (!real) return;
  describe(`compared with the real ${path.basename(real)} (${real})`, () => {
    let actual: Lifecycle;
    beforeAll(async () => {
      actual = await lifecycle(real, path.join(root, 'real'), env);
    });

    it('exits with the same codes', () => {
      const codes = (l: Lifecycle) =>
        Object.fromEntries(
          Object.entries(l)
            .filter(([k]) => k !== 'state')
            .map(([k, v]) => [k, (v as CliResult).code]),
        );
      expect(codes(standIn)).toEqual(codes(actual));
    });

    it.each([
      'plan',
      'apply',
      'destroy',
      'stale',
      'missing',
      'noChanges',
    ] as const)('streams the same message types and shapes for %s', step => {
      const types = (r: CliResult) => r.messages.map(m => m.type).sort();
      expect(types(standIn[step])).toEqual(types(actual[step]));
      const shapes = shapesByType(standIn[step].messages);
      const expected = shapesByType(actual[step].messages);
      // A diagnostic of real terraform may point at the configuration
      // (range, snippet); what the runner reads is the same.
      for (const type of Object.keys(expected)) {
        if (type === 'diagnostic') continue;
        expect({ type, shapes: shapes[type] }).toEqual({
          type,
          shapes: expected[type],
        });
      }
      const summaries = (r: CliResult) =>
        r.messages
          .filter(m => m.type === 'diagnostic')
          .map(m => [
            m['@level'],
            m['@message'],
            m.diagnostic.severity,
            m.diagnostic.summary,
          ]);
      expect(summaries(standIn[step])).toEqual(summaries(actual[step]));
    });

    it('prints the same change summaries', () => {
      const texts = (l: Lifecycle) =>
        [l.plan, l.apply, l.destroy].map(r =>
          r.messages
            .filter(m => m.type === 'change_summary')
            .map(m => [m['@message'], m.changes]),
        );
      expect(texts(standIn)).toEqual(texts(actual));
    });

    it('shows plans, state and outputs with the same structure', () => {
      const planKeys = (l: Lifecycle) => {
        const plan = JSON.parse(l.show.stdout);
        return {
          top: Object.keys(plan)
            .filter(k => k !== 'relevant_attributes')
            .sort(),
          change: plan.resource_changes.map((r: any) => ({
            address: r.address,
            keys: Object.keys(r).sort(),
            changeKeys: Object.keys(r.change).sort(),
            actions: r.change.actions,
          })),
          outputs: Object.fromEntries(
            Object.entries<any>(plan.output_changes).map(([k, v]) => [
              k,
              { actions: v.actions, sensitive: v.after_sensitive },
            ]),
          ),
        };
      };
      expect(planKeys(standIn)).toEqual(planKeys(actual));
      const stateKeys = (l: Lifecycle) => ({
        top: Object.keys(l.state).sort(),
        resources: l.state.resources.map((r: any) => ({
          keys: Object.keys(r).sort(),
          instance: Object.keys(r.instances[0])
            .filter(
              k =>
                ![
                  'identity_schema_version',
                  'private',
                  'dependencies',
                ].includes(k),
            )
            .sort(),
        })),
      });
      expect(stateKeys(standIn)).toEqual(stateKeys(actual));
      expect(JSON.parse(standIn.output.stdout)).toEqual({
        name: { ...JSON.parse(actual.output.stdout).name, value: 'x' },
        secret: JSON.parse(actual.output.stdout).secret,
      });
      expect(standIn.outputName.stdout).toBe(actual.outputName.stdout);
    });
  });
});
