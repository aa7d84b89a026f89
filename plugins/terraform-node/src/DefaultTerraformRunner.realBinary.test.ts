import {
  createMockDirectory,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { FakeTerraform, fakeTerraformPath } from '@paved/testkit';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { portalDatabaseConfig } from './__testUtils__/portalDatabaseConfig';
import { DefaultTerraformRunner } from './DefaultTerraformRunner';
import { TerraformRunnerSettings } from './readTerraformRunnerConfig';
import { TerraformProgressEvent } from './TerraformRunner';

jest.setTimeout(120_000);

const FIXTURES = path.resolve(__dirname, '__fixtures__/modules');
const TOKEN = 'echo-token-secret-7a6b5c4d';
const INJECTION =
  '"}\nresource "terraform_data" "evil" {}\n${file("/etc/hostname")} %{ if true }x%{ endif } {"a":1}';

/** The first of terraform and tofu on PATH. */
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

const realBinary = findRealBinary();
if (!realBinary) {
  // One visible line: the real-binary run did not happen, and why.
  process.stdout.write(
    'DefaultTerraformRunner.realBinary.test.ts: real terraform/tofu test NOT RUN: neither terraform nor tofu is on PATH; the stand-in run below covers the same steps\n',
  );
}

/**
 * The same steps through the same runner code: always with the stand-in,
 * and with the real terraform or tofu whenever one is on PATH, on a module
 * of terraform_data resources only (no provider download).
 */
const binaries: Array<[string, string]> = [
  ['the stand-in terraform', fakeTerraformPath],
  ...(realBinary
    ? [
        [
          `the real ${path.basename(realBinary)} (${realBinary})`,
          realBinary,
        ] as [string, string],
      ]
    : []),
];

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const MODULES = path.resolve(__dirname, '../../../templates/terraform/modules');

// The stand-in has no fmt: this check exists only with the real binary.
if (realBinary) {
  describe(`the vetted modules with the real ${path.basename(
    realBinary,
  )}`, () => {
    it('parse and are formatted as terraform fmt reads them', async () => {
      const fmt = spawn(
        realBinary,
        ['fmt', '-check', '-recursive', '-diff', MODULES],
        {
          env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' },
        },
      );
      let output = '';
      fmt.stdout.on('data', d => (output += d));
      fmt.stderr.on('data', d => (output += d));
      const code = await new Promise(r => fmt.once('close', r));
      expect({ code, output }).toEqual({ code: 0, output: '' });
    });
  });
}

describe.each(binaries)('the echo module with %s', (_name, binary) => {
  const mockDir = createMockDirectory();
  let logs: string[];
  let events: TerraformProgressEvent[];
  let runner: DefaultTerraformRunner;
  let fakeEnv: Record<string, string>;
  let createRunner: (
    cancelGracePeriodMs: number,
    settings?: Partial<TerraformRunnerSettings>,
  ) => Promise<DefaultTerraformRunner>;

  beforeAll(async () => {
    const fake = FakeTerraform.create({ dir: path.join(mockDir.path, 'fake') });
    // For the stand-in: what terraform does with this module.
    fake.setScenario({
      resources: [
        {
          address: 'terraform_data.echo',
          values: {
            input: { name: '${var.name}', settings: '${var.settings}' },
          },
        },
        {
          address: 'terraform_data.token',
          values: { input: '${var.token}' },
          sensitive: ['input'],
        },
        {
          address: 'terraform_data.slow',
          values: { input: '${var.delay_seconds}' },
          applySeconds: '${var.delay_seconds}',
        },
      ],
      outputs: {
        name: { value: '${var.name}' },
        size: { value: '${var.settings.size}' },
        token: { value: '${var.token}', sensitive: true },
      },
    });
    fakeEnv = { ...fake.env, TF_CLI_CONFIG_FILE: '/dev/null' };
    logs = [];
    const logger = mockServices.logger.mock({
      info: (m, meta) => void logs.push(`${m} ${JSON.stringify(meta)}`),
      warn: (m, meta) => void logs.push(`${m} ${JSON.stringify(meta)}`),
      error: (m, meta) => void logs.push(`${m} ${JSON.stringify(meta)}`),
    });
    logger.child.mockReturnValue(logger);
    const knex = await databases.init('SQLITE_3');
    createRunner = async (cancelGracePeriodMs, settings = {}) =>
      DefaultTerraformRunner.create({
        settings: {
          binary,
          modulesDir: FIXTURES,
          workDir: path.join(mockDir.path, 'work'),
          backend: { type: 'local' },
          planMaxAgeMs: 3_600_000,
          cancelGracePeriodMs,
          lockLeaseMs: 60_000,
          stateLockTimeoutMs: 0,
          environment: fakeEnv,
          secretEnvironment: {},
          ...settings,
        },
        logger,
        database: mockServices.database({
          knex,
          migrations: { skip: false },
        }),
      });
    runner = await createRunner(10_000);
  });

  beforeEach(() => {
    events = [];
  });

  const variables = {
    name: INJECTION,
    settings: { size: 3, labels: { team: 'platform' } },
    token: TOKEN,
  };

  it('plans, applies the saved plan, reads outputs and destroys', async () => {
    const plan = await runner.plan(
      { module: 'echo', workspace: 'echo', variables },
      { onProgress: e => events.push(e) },
    );
    expect(plan.summary).toMatchObject({ add: 3, change: 0, destroy: 0 });
    expect(
      plan.summary.resources.map(r => `${r.address}:${r.action}`).sort(),
    ).toEqual([
      'terraform_data.echo:create',
      'terraform_data.slow:create',
      'terraform_data.token:create',
    ]);
    expect(
      plan.summary.resources.find(r => r.address === 'terraform_data.token')
        ?.after?.input,
    ).toBe('(sensitive value)');
    expect(events.map(e => e.message)).toContain(
      'Plan: 3 to add, 0 to change, 0 to destroy.',
    );

    const result = await runner.apply(
      { planId: plan.planId },
      { onProgress: e => events.push(e) },
    );
    expect(result).toMatchObject({
      added: 3,
      changed: 0,
      destroyed: 0,
      resumed: false,
    });

    // The injection attempt is a plain string in the state: no extra resource.
    const outputs = await runner.output({ workspace: 'echo' });
    expect(outputs.name).toEqual({
      value: INJECTION,
      sensitive: false,
      type: 'string',
    });
    expect(outputs.size).toEqual({
      value: 3,
      sensitive: false,
      type: 'number',
    });
    expect(outputs.token).toEqual({
      value: TOKEN,
      sensitive: true,
      type: 'string',
    });
    const state = JSON.parse(
      fs.readFileSync(
        path.join(mockDir.path, 'work', 'echo', 'terraform.tfstate'),
        'utf8',
      ),
    );
    expect(state.resources.map((r: any) => r.name).sort()).toEqual([
      'echo',
      'slow',
      'token',
    ]);

    const again = await runner.plan({
      module: 'echo',
      workspace: 'echo',
      variables,
    });
    expect(again.hasChanges).toBe(false);

    const destroyed = await runner.destroy({
      module: 'echo',
      workspace: 'echo',
      variables,
    });
    expect(destroyed).toMatchObject({
      destroyed: 3,
      text: 'Destroy complete! Resources: 3 destroyed.',
    });
    expect(await runner.output({ workspace: 'echo' })).toEqual({});

    expect(JSON.stringify([logs, events])).not.toContain(TOKEN);
  });

  it('cancels an apply with SIGINT and the state lock is released', async () => {
    const slow = { ...variables, delay_seconds: 30 };
    const plan = await runner.plan({
      module: 'echo',
      workspace: 'echo-cancel',
      variables: slow,
    });
    const controller = new AbortController();
    const started = Date.now();
    const error = await runner
      .apply(
        { planId: plan.planId },
        {
          signal: controller.signal,
          onProgress: e => {
            events.push(e);
            if (
              e.type === 'apply_start' &&
              e.address === 'terraform_data.slow'
            ) {
              setTimeout(() => controller.abort(), 300);
            }
          },
        },
      )
      .catch(e => e);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(error.name).toBe('TerraformRunError');
    expect(error.message).toMatch(
      /^terraform apply in workspace echo-cancel was cancelled: it stopped after SIGINT; the state lock is released\. Applied before it stopped: .*\. Retry to resume\.$/,
    );
    expect(events.map(e => e.message)).toContainEqual(
      expect.stringMatching(/Interrupt received/),
    );
    expect(
      fs.existsSync(
        path.join(
          mockDir.path,
          'work',
          'echo-cancel',
          '.terraform.tfstate.lock.info',
        ),
      ),
    ).toBe(false);
    await runner.destroy({
      module: 'echo',
      workspace: 'echo-cancel',
      variables: slow,
    });
  });
  it('kills an apply that outlives the grace period, then resumes it on retry', async () => {
    const impatient = await createRunner(1);
    const slow = { ...variables, delay_seconds: 5 };
    const plan = await impatient.plan({
      module: 'echo',
      workspace: 'echo-killed',
      variables: slow,
    });
    const controller = new AbortController();
    const error = await impatient
      .apply(
        { planId: plan.planId },
        {
          signal: controller.signal,
          onProgress: e => {
            if (
              e.type === 'apply_start' &&
              e.address === 'terraform_data.slow'
            ) {
              controller.abort();
            }
          },
        },
      )
      .catch(e => e);
    expect(error.reason).toBe('cancelled');
    expect(error.message).toMatch(
      /^terraform apply in workspace echo-killed was cancelled: it did not stop within 1 ms of SIGINT and was killed \(SIGKILL\); the state lock is released\. Applied before it stopped: .*\. Retry to resume\.$/,
    );
    expect(error.pendingResources).toContain('terraform_data.slow');
    expect((await impatient.getPlan(plan.planId))?.status).toBe('failed');

    // The retry plans what is left, checks it against the reviewed plan and applies it.
    events = [];
    const result = await impatient.apply(
      { planId: plan.planId },
      { onProgress: e => events.push(e) },
    );
    expect(result).toMatchObject({ added: 3, resumed: true });
    // What is left depends on where the kill landed (real terraform applies
    // in parallel and writes a resource before its provisioner runs).
    expect(events.map(e => e.message)).toContainEqual(
      expect.stringMatching(/^Left to apply from the reviewed plan: .+$/),
    );
    const outputs = await impatient.output({ workspace: 'echo-killed' });
    expect(outputs.name.value).toBe(INJECTION);
    const state = JSON.parse(
      fs.readFileSync(
        path.join(mockDir.path, 'work', 'echo-killed', 'terraform.tfstate'),
        'utf8',
      ),
    );
    expect(state.resources.map((r: any) => r.name).sort()).toEqual([
      'echo',
      'slow',
      'token',
    ]);
    await impatient.destroy({
      module: 'echo',
      workspace: 'echo-killed',
      variables: slow,
    });
  });

  it('applies on a second replica, with an empty work directory of its own, the plan the first one saved', async () => {
    const shared = {
      backend: {
        type: 'local' as const,
        directory: path.join(mockDir.path, 'shared-state'),
      },
      planEncryptionKey: 'replicas-share-this-plan-encryption-key-0123',
    };
    const first = await createRunner(10_000, {
      ...shared,
      workDir: path.join(mockDir.path, 'replica-1'),
    });
    const second = await createRunner(10_000, {
      ...shared,
      workDir: path.join(mockDir.path, 'replica-2'),
    });
    const plan = await first.plan({
      module: 'echo',
      workspace: 'echo-moved',
      variables,
    });
    // The first replica is gone, and its disk with it.
    fs.rmSync(path.join(mockDir.path, 'replica-1'), {
      recursive: true,
      force: true,
    });
    const result = await second.apply(
      { planId: plan.planId },
      { onProgress: e => events.push(e) },
    );
    expect(result).toMatchObject({ added: 3, resumed: false });
    expect(events.map(e => e.message)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^Plan ${plan.planId} is not on this replica: restoring it from the database \\(.+, checksum verified\\)$`,
        ),
      ),
    );
    expect((await second.output({ workspace: 'echo-moved' })).token).toEqual({
      value: TOKEN,
      sensitive: true,
      type: 'string',
    });
    expect(
      fs.readdirSync(
        path.join(mockDir.path, 'replica-2', 'echo-moved', 'runs'),
      ),
    ).toEqual([]);
    await second.destroy({
      module: 'echo',
      workspace: 'echo-moved',
      variables,
    });
    expect(JSON.stringify([logs, events])).not.toContain(TOKEN);
  });

  it('refuses a saved plan made stale by a later apply', async () => {
    const first = await runner.plan({
      module: 'echo',
      workspace: 'echo-stale',
      variables,
    });
    const second = await runner.plan({
      module: 'echo',
      workspace: 'echo-stale',
      variables,
    });
    await runner.apply({ planId: second.planId });
    const error = await runner.apply({ planId: first.planId }).catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toBe(
      `Plan ${first.planId} is stale: the state of workspace echo-stale changed since it was planned; plan again`,
    );
    await runner.destroy({
      module: 'echo',
      workspace: 'echo-stale',
      variables,
    });
  });

  it('names the holder of a state lock taken by a terraform run outside the portal', async () => {
    // Someone runs the same binary by hand against the workspace's state.
    const manualDir = path.join(mockDir.path, 'manual');
    fs.mkdirSync(manualDir, { recursive: true });
    fs.copyFileSync(
      path.join(FIXTURES, 'echo', 'main.tf'),
      path.join(manualDir, 'main.tf'),
    );
    fs.writeFileSync(
      path.join(manualDir, 'backend.tf.json'),
      JSON.stringify({ terraform: { backend: { local: {} } } }),
    );
    fs.writeFileSync(
      path.join(manualDir, 'terraform.tfvars.json'),
      JSON.stringify({ name: 'by-hand', delay_seconds: 4 }),
    );
    const statePath = path.join(
      mockDir.path,
      'work',
      'echo-locked',
      'terraform.tfstate',
    );
    const env = { ...process.env, ...fakeEnv };
    const run = (args: string[]) => {
      const child = spawn(binary, args, { cwd: manualDir, env });
      return {
        child,
        done: new Promise<number | null>(r => child.once('close', r)),
      };
    };
    expect(
      await run(['init', '-input=false', `-backend-config=path=${statePath}`])
        .done,
    ).toBe(0);
    const manual = run(['apply', '-auto-approve', '-json', '-input=false']);
    try {
      const lockFile = path.join(
        path.dirname(statePath),
        '.terraform.tfstate.lock.info',
      );
      while (!fs.existsSync(lockFile))
        await new Promise(r => setTimeout(r, 20));
      await new Promise(r => setTimeout(r, 200));
      const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
      const error = await runner
        .plan({ module: 'echo', workspace: 'echo-locked', variables })
        .catch(e => e);
      expect(error.name).toBe('ConflictError');
      expect(error.message).toBe(
        `The Terraform state of workspace echo-locked is locked by another run: resource temporarily unavailable (held by ${
          lock.Who
        }, for OperationTypeApply, since ${
          error.message.match(/since ([^,]+),/)?.[1]
        }, lock ID ${lock.ID}, path ${statePath})`,
      );
      expect(error.message).toMatch(
        /since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \+0000 UTC,/,
      );
    } finally {
      expect(await manual.done).toBe(0);
    }
  });
});

const pgDatabases = TestDatabases.create();
const pgIds = pgDatabases
  .eachSupportedId()
  .map(([id]) => id)
  .filter(id => id.startsWith('POSTGRES'));

describe('the real-binary suites', () => {
  // npm test sets these when it found the binary and the server: then a
  // suite that would be left out fails instead.
  it('run the real terraform or tofu whenever npm test found one', () => {
    const required = Boolean(process.env.PAVED_REQUIRE_TERRAFORM);
    expect({ required, found: Boolean(realBinary) }).toEqual({
      required,
      found: required || Boolean(realBinary),
    });
  });

  it('run the pg state backend on the PostgreSQL npm test found', () => {
    const required = process.env.PAVED_REQUIRE_POSTGRES
      ? [process.env.PAVED_TEST_POSTGRES_ID!]
      : [];
    expect(pgIds).toEqual(expect.arrayContaining(required));
  });
});

// terraform's pg backend needs no provider download either: with PostgreSQL
// set (npm test sets it), the same binaries keep state in the portal's
// database, the connection derived from backend.database.
if (pgIds.length) {
  describe.each(
    pgIds.flatMap(id => binaries.map(([name, binary]) => [name, binary, id])),
  )('the pg state backend with %s on %s', (_name, binary, databaseId) => {
    const mockDir = createMockDirectory();

    it('keeps a schema per workspace in the portal’s PostgreSQL, applies on another replica and names a held lock', async () => {
      const knex = await pgDatabases.init(databaseId as any);
      const fake = FakeTerraform.create({
        dir: path.join(mockDir.path, 'fake'),
      });
      fake.setScenario({
        resources: [
          {
            address: 'terraform_data.echo',
            values: { input: { name: '${var.name}' } },
          },
          { address: 'terraform_data.token', values: { input: null } },
          { address: 'terraform_data.slow', values: { input: 0 } },
        ],
        outputs: { name: { value: '${var.name}' } },
      });
      const replica = (workDir: string) =>
        DefaultTerraformRunner.create({
          settings: {
            binary,
            modulesDir: FIXTURES,
            workDir: path.join(mockDir.path, workDir),
            backend: { type: 'pg', schemaPrefix: 'tfstate_' },
            planMaxAgeMs: 3_600_000,
            cancelGracePeriodMs: 10_000,
            lockLeaseMs: 60_000,
            stateLockTimeoutMs: 0,
            environment: { ...fake.env, TF_CLI_CONFIG_FILE: '/dev/null' },
            secretEnvironment: {},
            planEncryptionKey: 'replicas-share-this-plan-encryption-key-0123',
          },
          logger: mockServices.logger.mock(),
          database: mockServices.database({
            knex,
            migrations: { skip: false },
          }),
          config: portalDatabaseConfig(knex),
        });
      const runner = await replica('work');
      const variables = { name: 'in-postgres' };
      const plan = await runner.plan({
        module: 'echo',
        workspace: 'echo-pg',
        variables,
      });
      // Applied by another replica, which has none of the first one's files.
      const other = await replica('work-other');
      await expect(other.apply({ planId: plan.planId })).resolves.toMatchObject(
        { added: 3 },
      );
      expect(
        await knex('paved_terraform__plan_files').where({
          plan_id: plan.planId,
        }),
      ).toEqual([]);
      const rows = await knex('tfstate_echo_pg.states').select('name', 'data');
      expect(rows.map(r => r.name)).toEqual(['default']);
      expect(
        JSON.parse(rows[0].data)
          .resources.map((r: any) => r.name)
          .sort(),
      ).toEqual(['echo', 'slow', 'token']);
      expect((await runner.output({ workspace: 'echo-pg' })).name.value).toBe(
        'in-postgres',
      );

      // Another session holds the workspace's advisory lock, as a terraform
      // run outside the portal would.
      const [{ id }] = await knex('tfstate_echo_pg.states').select('id');
      const holder = await knex.client.acquireConnection();
      try {
        await holder.query(`select pg_advisory_lock(${Number(id)})`);
        const error = await runner
          .plan({ module: 'echo', workspace: 'echo-pg', variables })
          .catch(e => e);
        expect(error.name).toBe('ConflictError');
        expect(error.message).toBe(
          'The Terraform state of workspace echo-pg is locked by another PostgreSQL session (Workspace is already locked: default); another terraform run is using it',
        );
      } finally {
        await holder.query(`select pg_advisory_unlock(${Number(id)})`);
        await knex.client.releaseConnection(holder);
      }
      await runner.destroy({ module: 'echo', workspace: 'echo-pg', variables });
      expect(await runner.output({ workspace: 'echo-pg' })).toEqual({});
    });
  });
}
