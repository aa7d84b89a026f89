import { LoggerService } from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  FakeTerraform,
  FakeTerraformScenario,
  fakeTerraformPath,
} from '@paved/testkit';
import { Knex } from 'knex';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { portalDatabaseConfig } from './__testUtils__/portalDatabaseConfig';
import { DefaultTerraformRunner } from './DefaultTerraformRunner';
import { TerraformRunnerSettings } from './readTerraformRunnerConfig';
import {
  TerraformPlanRequest,
  TerraformProgressEvent,
  TerraformRunOptions,
  TerraformRunner,
} from './TerraformRunner';

jest.setTimeout(60_000);

const MODULES = path.resolve(__dirname, '../../../templates/terraform/modules');
const PROVIDER_SECRET = 'provider-secret-key-9f8e7d6c';
const DB_PASSWORD = 'db-master-password-5c4b3a21';
const S3_SECRET = 's3-secret-access-key-11aa22bb';
const GCS_KEY_ID = 'gcs-private-key-id-33cc44dd';

const databases = TestDatabases.create();

/** A logger that keeps every line, fields included, to grep for secrets. */
function captureLogger(lines: string[], fields: object = {}): LoggerService {
  const log = (level: string) => (message: string, meta?: Error | object) =>
    lines.push(
      JSON.stringify({
        level,
        message,
        meta: String(meta && JSON.stringify(meta)),
        fields,
      }),
    );
  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: more => captureLogger(lines, { ...fields, ...more }),
  };
}

/** The postgres-database module as the stand-in plans and applies it. */
function postgresScenario(
  extra: FakeTerraformScenario = {},
): FakeTerraformScenario {
  return {
    resources: [
      {
        address: 'random_password.master',
        values: { length: 32, result: '${random}' },
        sensitive: ['result'],
      },
      {
        address: 'aws_db_instance.this',
        values: {
          identifier: '${var.name}',
          instance_class: '${var.instance_class}',
          password: '${var.master_password}',
          tags: '${var.tags}',
        },
        sensitive: ['password'],
        forceNew: ['identifier'],
        computed: ['address', 'arn'],
      },
      {
        address: 'aws_secretsmanager_secret.master',
        values: { name: 'paved/postgres/${var.name}/master' },
        computed: ['arn'],
      },
      {
        address: 'aws_secretsmanager_secret_version.master',
        values: { secret_string: '${var.master_password}' },
        sensitive: ['secret_string'],
      },
    ],
    outputs: {
      endpoint: { value: '${aws_db_instance.this.address}' },
      database_name: { value: '${var.name}' },
      master_password: { value: '${var.master_password}', sensitive: true },
    },
    ...extra,
  };
}

const postgresVariables = {
  name: 'orders',
  owner: 'fulfilment',
  master_password: DB_PASSWORD,
};

/** Plans the postgres-database module in a workspace, with its usual variables. */
function planPostgres(
  runner: TerraformRunner,
  workspace: string,
  request: Partial<TerraformPlanRequest> = {},
  options?: TerraformRunOptions,
) {
  return runner.plan(
    {
      module: 'postgres-database',
      workspace,
      variables: postgresVariables,
      ...request,
    },
    options,
  );
}

/** Applies a plan, cancelling as soon as terraform starts on a resource; the error it fails with. */
function applyCancelledAtStart(
  runner: TerraformRunner,
  planId: string,
): Promise<any> {
  const controller = new AbortController();
  return runner
    .apply(
      { planId },
      {
        signal: controller.signal,
        onProgress: e => e.type === 'apply_start' && controller.abort(),
      },
    )
    .catch(e => e);
}

/** The local state terraform wrote in `dir`. */
function readState(dir: string): any {
  return JSON.parse(
    fs.readFileSync(path.join(dir, 'terraform.tfstate'), 'utf8'),
  );
}

describe('DefaultTerraformRunner with the stand-in terraform', () => {
  const mockDir = createMockDirectory();
  let root: string;
  let fake: FakeTerraform;
  let logs: string[];
  let events: TerraformProgressEvent[];
  let knex: Knex;
  let count = 0;

  function settings(
    overrides: Partial<TerraformRunnerSettings> = {},
  ): TerraformRunnerSettings {
    return {
      binary: fakeTerraformPath,
      modulesDir: MODULES,
      workDir: path.join(root, 'work'),
      backend: { type: 'local' },
      planMaxAgeMs: 3_600_000,
      cancelGracePeriodMs: 2_000,
      lockLeaseMs: 60_000,
      stateLockTimeoutMs: 0,
      environment: fake.env,
      secretEnvironment: { AWS_SECRET_ACCESS_KEY: PROVIDER_SECRET },
      ...overrides,
    };
  }

  async function createRunner(
    options: {
      settings?: Partial<TerraformRunnerSettings>;
      knex?: Knex;
      now?: () => number;
      replicaId?: string;
    } = {},
  ) {
    return DefaultTerraformRunner.create({
      settings: settings(options.settings),
      logger: captureLogger(logs),
      database: mockServices.database({
        knex: options.knex ?? knex,
        migrations: { skip: false },
      }),
      now: options.now,
      replicaId: options.replicaId,
    });
  }

  const onProgress = (e: TerraformProgressEvent) => events.push(e);

  /** Everything a secret must never reach: logs, progress, stored plans. */
  async function everythingVisible(...more: unknown[]) {
    const plans = await knex('paved_terraform__plans');
    return JSON.stringify([logs, events, plans, more.map(String)]);
  }

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
  });

  const cleanups: Array<() => void> = [];
  const afterTest = (fn: () => void) => cleanups.push(fn);
  afterEach(() => {
    for (const fn of cleanups.splice(0)) fn();
  });

  beforeEach(() => {
    count++;
    root = path.join(mockDir.path, `case-${count}`);
    fake = FakeTerraform.create({ dir: path.join(root, 'fake') });
    fake.setScenario(postgresScenario());
    logs = [];
    events = [];
  });

  it('plans, shows the summary, applies exactly the plan and reads outputs', async () => {
    const runner = await createRunner();
    const plan = await planPostgres(
      runner,
      'orders-db',
      { owner: 'task-1' },
      { onProgress },
    );

    expect(plan).toMatchObject({
      workspace: 'orders-db',
      module: 'postgres-database',
      hasChanges: true,
      destroy: false,
      status: 'planned',
    });
    expect(plan.summary).toMatchObject({
      add: 4,
      change: 0,
      destroy: 0,
      replace: 0,
      text: 'Plan: 4 to add, 0 to change, 0 to destroy.',
      terraformVersion: '1.11.4',
    });
    // By address, as terraform lists a plan.
    expect(plan.summary.resources.map(r => [r.address, r.action])).toEqual([
      ['aws_db_instance.this', 'create'],
      ['aws_secretsmanager_secret.master', 'create'],
      ['aws_secretsmanager_secret_version.master', 'create'],
      ['random_password.master', 'create'],
    ]);
    expect(plan.summary.resources[0].after).toEqual({
      identifier: 'orders',
      instance_class: 'db.t4g.micro',
      password: '(sensitive value)',
      tags: {},
      address: '(known after apply)',
      arn: '(known after apply)',
      id: '(known after apply)',
    });
    expect(plan.summary.outputs).toEqual([
      { name: 'endpoint', action: 'create', sensitive: false },
      { name: 'database_name', action: 'create', sensitive: false },
      { name: 'master_password', action: 'create', sensitive: true },
    ]);

    const lines = events.map(e => e.message);
    expect(lines).toEqual(
      expect.arrayContaining([
        '1/4 resources planned: aws_db_instance.this will create',
        '4/4 resources planned: random_password.master will create',
        'Plan: 4 to add, 0 to change, 0 to destroy.',
        '  + aws_db_instance.this (create)',
        '  + aws_secretsmanager_secret_version.master (create)',
      ]),
    );
    expect(
      lines.indexOf('Plan: 4 to add, 0 to change, 0 to destroy.'),
    ).toBeLessThan(lines.indexOf('  + aws_db_instance.this (create)'));

    // The run directory: the module's files, a generated backend and the
    // variables as JSON, nothing else written by the runner.
    const runDir = path.join(root, 'work', 'orders-db', 'runs', plan.planId);
    expect(fs.readdirSync(runDir).sort()).toEqual([
      '.terraform',
      '.terraform.lock.hcl',
      'main.tf',
      'outputs.tf',
      'paved.auto.tfvars.json',
      'paved.tfplan',
      'paved_backend.tf.json',
      'variables.tf',
      'versions.tf',
    ]);
    expect(
      JSON.parse(
        fs.readFileSync(path.join(runDir, 'paved_backend.tf.json'), 'utf8'),
      ),
    ).toEqual({ terraform: { backend: { local: {} } } });
    expect(
      JSON.parse(
        fs.readFileSync(path.join(runDir, 'paved.auto.tfvars.json'), 'utf8'),
      ),
    ).toEqual(postgresVariables);
    expect(
      fs.statSync(path.join(runDir, 'paved.auto.tfvars.json')).mode & 0o077,
    ).toBe(0);

    const before = fake.invocations().length;
    const result = await runner.apply(
      { planId: plan.planId, owner: 'task-1' },
      { onProgress },
    );
    expect(result).toEqual({
      planId: plan.planId,
      workspace: 'orders-db',
      added: 4,
      changed: 0,
      destroyed: 0,
      resources: plan.summary.resources.map(r => ({
        address: r.address,
        action: 'create',
      })),
      resumed: false,
      text: 'Apply complete! Resources: 4 added, 0 changed, 0 destroyed.',
    });
    // Exactly the saved plan file was applied.
    const applyCall = fake
      .invocations()
      .slice(before)
      .find(i => i.argv[0] === 'apply')!;
    expect(applyCall.argv).toEqual([
      'apply',
      '-json',
      '-input=false',
      '-lock-timeout=0s',
      'paved.tfplan',
    ]);
    expect(applyCall.cwd).toBe(runDir);
    expect(events.map(e => e.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Applying 1\/4: random_password\.master: Creating\.\.\.$/,
        ),
        expect.stringMatching(
          /^4\/4 applied: aws_secretsmanager_secret_version\.master: Creation complete after 0s \[id=.+\]$/,
        ),
        'Apply complete! Resources: 4 added, 0 changed, 0 destroyed.',
      ]),
    );
    // The plan file (which holds variable values) is gone once applied,
    // from the disk and from the database.
    expect(fs.existsSync(runDir)).toBe(false);
    expect(
      await knex('paved_terraform__plan_files').where({ plan_id: plan.planId }),
    ).toEqual([]);

    // Applying it again returns the result without running terraform.
    const calls = fake.invocations().length;
    await expect(
      runner.apply({ planId: plan.planId, owner: 'task-1' }),
    ).resolves.toEqual(result);
    expect(fake.invocations()).toHaveLength(calls);

    const outputs = await runner.output(
      { workspace: 'orders-db' },
      { onProgress },
    );
    expect(outputs.database_name).toEqual({
      value: 'orders',
      sensitive: false,
      type: 'string',
    });
    expect(outputs.endpoint.value).toMatch(/^address-/);
    expect(outputs.master_password).toEqual({
      value: DB_PASSWORD,
      sensitive: true,
      type: 'string',
    });
    expect(events.at(-1)?.message).toBe(
      'Read 3 output(s) of workspace orders-db (sensitive, not shown: master_password)',
    );

    // Nothing left to do: the next plan is empty.
    const again = await planPostgres(runner, 'orders-db');
    expect(again.hasChanges).toBe(false);
    expect(again.summary.text).toBe(
      'Plan: 0 to add, 0 to change, 0 to destroy.',
    );

    const visible = await everythingVisible();
    expect(visible).not.toContain(DB_PASSWORD);
    expect(visible).not.toContain(PROVIDER_SECRET);
  });

  it('passes credentials only through the environment, never in arguments or files', async () => {
    process.env.POSTGRES_PASSWORD = 'portal-db-password-77ee88ff';
    process.env.BACKEND_SECRET = 'portal-backend-secret-99aabbcc';
    process.env.AWS_WEB_IDENTITY_TOKEN_FILE = '/var/run/secrets/eks/token';
    afterTest(() => {
      delete process.env.POSTGRES_PASSWORD;
      delete process.env.BACKEND_SECRET;
      delete process.env.AWS_WEB_IDENTITY_TOKEN_FILE;
    });
    const runner = await createRunner({
      settings: {
        backend: {
          type: 's3',
          bucket: 'paved-state',
          region: 'eu-west-1',
          keyPrefix: 'workspaces/',
          accessKeyId: 'AKIAEXAMPLEKEYID01',
          secretAccessKey: S3_SECRET,
        },
      },
    });
    fake.setScenario(
      postgresScenario({ remoteStorageDir: path.join(root, 'bucket') }),
    );
    const plan = await planPostgres(runner, 'orders-db');
    await runner.apply({ planId: plan.planId });

    const invocations = fake.invocations();
    const init = invocations.find(i => i.argv[0] === 'init')!;
    expect(init.argv).toEqual([
      'init',
      '-input=false',
      '-no-color',
      '-backend-config=bucket=paved-state',
      '-backend-config=key=workspaces/orders-db/terraform.tfstate',
      '-backend-config=region=eu-west-1',
      '-backend-config=use_lockfile=true',
    ]);
    expect(init.envKeys).toEqual(
      expect.arrayContaining([
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'TF_IN_AUTOMATION',
      ]),
    );
    // The portal's own environment does not leak into terraform's; where
    // workload identity credentials are does.
    expect(init.envKeys).not.toContain('POSTGRES_PASSWORD');
    expect(init.envKeys).not.toContain('BACKEND_SECRET');
    expect(init.envKeys).toContain('AWS_WEB_IDENTITY_TOKEN_FILE');
    expect(JSON.stringify(invocations.map(i => i.argv))).not.toMatch(
      new RegExp(`${S3_SECRET}|${PROVIDER_SECRET}|AKIAEXAMPLEKEYID01`),
    );
    // The state is in the bucket, not beside the runs.
    expect(
      fs.existsSync(
        path.join(
          root,
          'bucket',
          'paved-state',
          'workspaces',
          'orders-db',
          'terraform.tfstate',
        ),
      ),
    ).toBe(true);
    const written = fs
      .readdirSync(path.join(root, 'work'), {
        recursive: true,
        withFileTypes: true,
      })
      .filter(e => e.isFile())
      .map(e => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))
      .join('\n');
    expect(written).not.toContain(S3_SECRET);
    expect(await everythingVisible()).not.toMatch(
      new RegExp(`${S3_SECRET}|${DB_PASSWORD}`),
    );
  });

  it('keeps gcs state in the bucket, its key only in GOOGLE_CREDENTIALS', async () => {
    const key = JSON.stringify({
      type: 'service_account',
      private_key_id: GCS_KEY_ID,
      private_key: `-----BEGIN PRIVATE KEY-----\n${GCS_KEY_ID}-body\n-----END PRIVATE KEY-----\n`,
    });
    const runner = await createRunner({
      settings: {
        backend: {
          type: 'gcs',
          bucket: 'paved-state',
          prefix: 'paved/',
          credentials: key,
        },
      },
    });
    fake.setScenario(
      postgresScenario({ remoteStorageDir: path.join(root, 'bucket') }),
    );
    const plan = await planPostgres(runner, 'orders-db', {}, { onProgress });
    await runner.apply({ planId: plan.planId }, { onProgress });
    const init = fake.invocations().find(i => i.argv[0] === 'init')!;
    expect(init.argv).toEqual([
      'init',
      '-input=false',
      '-no-color',
      '-backend-config=bucket=paved-state',
      '-backend-config=prefix=paved/orders-db',
    ]);
    expect(init.envKeys).toContain('GOOGLE_CREDENTIALS');
    expect(
      fs.existsSync(
        path.join(
          root,
          'bucket',
          'paved-state',
          'paved/orders-db',
          'default.tfstate',
        ),
      ),
    ).toBe(true);
    expect(events.map(e => e.message)).toContain(
      'Initialized the gcs state backend of workspace orders-db',
    );
    const visible = await everythingVisible(
      JSON.stringify(fake.invocations().map(i => i.argv)),
    );
    expect(visible).not.toContain(GCS_KEY_ID);
    expect(visible).not.toContain('PRIVATE KEY');
  });

  it('runs tofu as well: the binary is whatever paved.terraform.binary names', async () => {
    const tofu = path.join(root, 'bin', 'tofu');
    fs.mkdirSync(path.dirname(tofu), { recursive: true });
    fs.symlinkSync(fakeTerraformPath, tofu);
    fake.setScenario(postgresScenario({ version: '1.8.3' }));
    const runner = await createRunner({ settings: { binary: tofu } });
    const plan = await planPostgres(runner, 'tofu-db', {}, { onProgress });
    expect(events[0].message).toBe(
      `Planning module postgres-database in workspace tofu-db with tofu 1.8.3 (run ${plan.planId})`,
    );
    expect(plan.summary.terraformVersion).toBe('1.8.3');
  });

  it('expires unapplied plans past the maximum age, with their plan files, but not under a running run', async () => {
    let now = Date.now();
    // A database of its own: the other tests' plans are old by this clock.
    const own = await databases.init('SQLITE_3');
    const runner = await createRunner({ now: () => now, knex: own });
    const old = await planPostgres(runner, 'old-a');
    expect(Date.parse(old.expiresAt) - Date.parse(old.createdAt)).toBe(
      3_600_000,
    );
    const busy = await planPostgres(runner, 'old-b');
    now += 3_600_001;
    const recent = await planPostgres(runner, 'old-c');
    // A run holds old-b's workspace: its plan stays until the next time.
    await own('paved_terraform__workspace_leases').insert({
      workspace: 'old-b',
      holder: 'replica-x/run-x',
      host: 'x',
      run_id: 'run-x',
      operation: 'apply',
      acquired_at: now,
      expires_at: now + 60_000,
    });
    try {
      await expect(runner.expirePlans()).resolves.toBe(1);
    } finally {
      await own('paved_terraform__workspace_leases')
        .where({ workspace: 'old-b' })
        .delete();
    }
    const runDir = (p: { workspace: string; planId: string }) =>
      path.join(root, 'work', p.workspace, 'runs', p.planId);
    expect((await runner.getPlan(old.planId))?.status).toBe('expired');
    expect(fs.existsSync(runDir(old))).toBe(false);
    expect((await runner.getPlan(busy.planId))?.status).toBe('planned');
    expect(fs.existsSync(runDir(busy))).toBe(true);
    expect((await runner.getPlan(recent.planId))?.status).toBe('planned');
    await expect(runner.expirePlans()).resolves.toBe(1);
    expect(fs.existsSync(runDir(busy))).toBe(false);
    await expect(runner.apply({ planId: old.planId })).rejects.toThrow(
      `planId: plan ${old.planId} is expired and cannot be applied; plan again`,
    );
  });

  it('expires a plan left applying by a process that died, past the maximum age, with its files', async () => {
    let now = Date.now();
    const own = await databases.init('SQLITE_3');
    const runner = await createRunner({ now: () => now, knex: own });
    const plan = await planPostgres(runner, 'crashed-apply');
    // What a backend killed mid-apply leaves: the plan applying, its lease lapsed.
    await own('paved_terraform__plans')
      .where({ plan_id: plan.planId })
      .update({ status: 'applying' });
    const runDir = path.join(
      root,
      'work',
      'crashed-apply',
      'runs',
      plan.planId,
    );
    expect(fs.existsSync(runDir)).toBe(true);
    await expect(runner.expirePlans()).resolves.toBe(0);
    now += 3_600_001;
    await expect(runner.expirePlans()).resolves.toBe(1);
    expect((await runner.getPlan(plan.planId))?.status).toBe('expired');
    expect(fs.existsSync(runDir)).toBe(false);
    expect(
      await own('paved_terraform__plan_files').where({ plan_id: plan.planId }),
    ).toEqual([]);
  });

  it('records a workspace owner once: the first record wins', async () => {
    const runner = await createRunner();
    await expect(runner.getWorkspaceOwner('owned-ws')).resolves.toBeUndefined();
    const first = await runner.recordWorkspaceOwner({
      workspace: 'owned-ws',
      ownerRef: 'group:default/storefront',
      recordedBy: 'user:default/lena-fischer',
      taskId: 'task-a',
    });
    expect(first).toMatchObject({
      workspace: 'owned-ws',
      ownerRef: 'group:default/storefront',
      recordedBy: 'user:default/lena-fischer',
      taskId: 'task-a',
    });
    const second = await runner.recordWorkspaceOwner({
      workspace: 'owned-ws',
      ownerRef: 'group:default/fulfilment',
      recordedBy: 'user:default/jonas-weber',
    });
    expect(second).toEqual(first);
    await expect(runner.getWorkspaceOwner('owned-ws')).resolves.toEqual(first);
    await expect(runner.getWorkspaceOwner('Bad Name')).rejects.toThrow(
      'workspace: expected 1-63 lowercase letters',
    );
  });

  it('previews a plan without running terraform or taking the workspace', async () => {
    const runner = await createRunner();
    const preview = await runner.previewPlan({
      module: 'postgres-database',
      workspace: 'preview-db',
      variables: { ...postgresVariables, master_password: DB_PASSWORD },
    });
    expect(preview).toMatchObject({
      module: 'postgres-database',
      workspace: 'preview-db',
      destroy: false,
    });
    expect(preview.variables.master_password).toBe('(sensitive value)');
    expect(JSON.stringify(preview)).not.toContain(DB_PASSWORD);
    expect(fake.invocations()).toEqual([]);
    expect(
      await knex('paved_terraform__workspace_leases').where({
        workspace: 'preview-db',
      }),
    ).toEqual([]);
    await expect(
      runner.previewPlan({
        module: 'postgres-database',
        workspace: 'preview-db',
        variables: { ...postgresVariables, multi_az: 'yes' },
      }),
    ).rejects.toThrow('variables.multi_az: expected a bool, got a string');
  });

  it('puts a value that tries to inject HCL or JSON into the state verbatim, creating nothing else', async () => {
    const injection =
      '"}\nresource "aws_iam_user" "evil" { name = "x" }\n# ${file("/etc/passwd")} {"a":1}';
    const runner = await createRunner();
    const plan = await runner.plan({
      module: 'postgres-database',
      workspace: 'inject',
      variables: {
        ...postgresVariables,
        tags: { note: injection, 'weird "key"': '{}' },
      },
    });
    expect(plan.summary.resources.map(r => r.address)).not.toContain(
      'aws_iam_user.evil',
    );
    expect(plan.summary.resources).toHaveLength(4);
    const runDir = path.join(root, 'work', 'inject', 'runs', plan.planId);
    for (const file of [
      'main.tf',
      'variables.tf',
      'outputs.tf',
      'versions.tf',
    ]) {
      expect(fs.readFileSync(path.join(runDir, file), 'utf8')).toBe(
        fs.readFileSync(path.join(MODULES, 'postgres-database', file), 'utf8'),
      );
    }
    await runner.apply({ planId: plan.planId });
    const state = readState(path.join(root, 'work', 'inject'));
    const db = state.resources.find((r: any) => r.type === 'aws_db_instance');
    expect(db.instances[0].attributes.tags).toEqual({
      note: injection,
      'weird "key"': '{}',
    });
    expect(
      state.resources.map((r: any) => `${r.type}.${r.name}`).sort(),
    ).toEqual([
      'aws_db_instance.this',
      'aws_secretsmanager_secret.master',
      'aws_secretsmanager_secret_version.master',
      'random_password.master',
    ]);
  });

  it('refuses bad input before anything runs or is written', async () => {
    const runner = await createRunner();
    const attempts: Array<[object, string]> = [
      [
        { module: 'mongo', workspace: 'w' },
        'module: unknown module "mongo"; available: object-bucket, postgres-database, redis-cache',
      ],
      [
        { module: 'object-bucket', workspace: '../etc' },
        'workspace: expected 1-63 lowercase letters, digits and dashes, starting and ending with a letter or digit, got "../etc"',
      ],
      [
        {
          module: 'object-bucket',
          workspace: 'w',
          variables: { owner: 'team' },
        },
        'Invalid variables for module "object-bucket": variables.name: missing, required (string)',
      ],
      [
        {
          module: 'object-bucket',
          workspace: 'w',
          variables: { name: 'bucket-a', owner: 'team', versioning: 'yes' },
        },
        'Invalid variables for module "object-bucket": variables.versioning: expected a bool, got a string',
      ],
      [
        {
          module: 'postgres-database',
          workspace: 'w',
          variables: { name: 'x"} resource', owner: 'team' },
        },
        'Invalid variables for module "postgres-database": variables.name: The name must be 3-40 lowercase letters, digits or dashes, starting with a letter. (must match ^[a-z][a-z0-9-]{2,39}$), got "x\\"} resource"',
      ],
    ];
    for (const [request, message] of attempts) {
      const error = await runner.plan(request as any).catch(e => e);
      expect({ name: error.name, message: error.message }).toEqual({
        name: 'InputError',
        message,
      });
    }
    expect(fake.invocations()).toEqual([]);
    expect(fs.existsSync(path.join(root, 'work'))).toBe(false);
    expect(
      await knex('paved_terraform__plans').where({ workspace: 'w' }),
    ).toEqual([]);
  });

  it('says when the binary is not found, leaving nothing behind', async () => {
    const runner = await createRunner({
      settings: { binary: path.join(root, 'no-such-terraform') },
    });
    const error = await runner
      .plan({
        module: 'postgres-database',
        workspace: 'nobin',
        variables: postgresVariables,
      })
      .catch(e => e);
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toBe(
      `Terraform binary not found: "${path.join(
        root,
        'no-such-terraform',
      )}" does not exist (paved.terraform.binary: set it to the path of terraform or tofu)`,
    );
    // A bare name is looked up on PATH, and the error says so.
    const onPath = await createRunner({
      settings: { binary: 'paved-no-such-tofu' },
    });
    await expect(onPath.output({ workspace: 'nobin' })).rejects.toThrow(
      'Terraform binary not found: "paved-no-such-tofu" is not on PATH (paved.terraform.binary: set it to the path of terraform or tofu)',
    );
    expect(
      await knex('paved_terraform__workspace_leases').where({
        workspace: 'nobin',
      }),
    ).toEqual([]);
    expect(fs.existsSync(path.join(root, 'work', 'nobin'))).toBe(false);
  });

  it('says when the state backend is unreachable, without its credentials', async () => {
    const runner = await createRunner({
      settings: {
        backend: {
          type: 'pg',
          connectionString: `postgres://terraform:${DB_PASSWORD}@127.0.0.1:1/state?sslmode=disable`,
          schemaPrefix: 'tfstate_',
        },
      },
    });
    const error = await runner
      .plan({
        module: 'object-bucket',
        workspace: 'unreachable',
        variables: { name: 'bucket-a', owner: 'team' },
      })
      .catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toBe(
      'The pg state backend of workspace unreachable is unreachable: dial tcp 127.0.0.1:1: connect: connection refused',
    );
    expect(
      fake.invocations().find(i => i.argv[0] === 'init')!.envKeys,
    ).toContain('PG_CONN_STR');
    expect(await everythingVisible(error.message)).not.toContain(DB_PASSWORD);
    expect(
      await knex('paved_terraform__plans').where({ workspace: 'unreachable' }),
    ).toEqual([]);
    expect(
      fs.readdirSync(path.join(root, 'work', 'unreachable', 'runs')),
    ).toEqual([]);
  });

  it('says when init cannot install providers, not that the state backend is unreachable', async () => {
    const runner = await createRunner();
    fake.setScenario(
      postgresScenario({
        fail: {
          // What terraform 1.11 prints with no route to the registry.
          providers: {
            summary: 'Failed to query available provider packages',
            detail:
              'Could not retrieve the list of available versions for provider hashicorp/aws:\ncould not connect to registry.terraform.io: failed to request discovery\ndocument: Get "https://registry.terraform.io/.well-known/terraform.json":\ndial tcp: lookup registry.terraform.io on 10.255.255.53:53: no such host',
          },
        },
      }),
    );
    const error = await runner
      .plan({
        module: 'postgres-database',
        workspace: 'offline',
        variables: postgresVariables,
      })
      .catch(e => e);
    expect(error.name).toBe('TerraformRunError');
    expect(error.message).toMatch(
      /^terraform init could not install the providers of workspace offline: Failed to query available provider packages: Could not retrieve the list of available versions for provider hashicorp\/aws:.*no such host\. Without access to their registry, give terraform a provider mirror/s,
    );
  });

  it('refuses a plan that destroys or replaces unless allowed', async () => {
    const runner = await createRunner();
    const first = await planPostgres(runner, 'policy');
    await runner.apply({ planId: first.planId });

    // Renaming the instance forces its replacement.
    const renamed = await runner.plan({
      module: 'postgres-database',
      workspace: 'policy',
      variables: { ...postgresVariables, name: 'orders-v2' },
    });
    expect(renamed.summary).toMatchObject({
      add: 1,
      change: 1,
      destroy: 1,
      replace: 1,
    });
    const replaced = renamed.summary.resources.find(
      r => r.address === 'aws_db_instance.this',
    )!;
    expect(replaced).toMatchObject({
      action: 'replace',
      reason: 'replace_because_cannot_update',
      replacePaths: ['identifier'],
    });
    const error = await runner.apply({ planId: renamed.planId }).catch(e => e);
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toBe(
      `Plan ${renamed.planId} would destroy 1 resource(s) (aws_db_instance.this: replace); set allowDestroy to apply it`,
    );
    expect((await runner.getPlan(renamed.planId))?.status).toBe('planned');

    const result = await runner.apply({
      planId: renamed.planId,
      allowDestroy: true,
    });
    expect(result).toMatchObject({ added: 1, changed: 1, destroyed: 1 });
  });

  it('refuses a plan older than the configured age, of another task, or changed on disk', async () => {
    let now = Date.now();
    const runner = await createRunner({ now: () => now });
    const plan = await planPostgres(runner, 'aged', { owner: 'task-a' });
    const other = await runner
      .apply({ planId: plan.planId, owner: 'task-b' })
      .catch(e => e);
    expect(other.name).toBe('NotAllowedError');
    expect(other.message).toBe(
      `planId: plan ${plan.planId} belongs to another task; a plan is applied by the task that made it`,
    );

    now += 2 * 3_600_000;
    const old = await runner
      .apply({ planId: plan.planId, owner: 'task-a' })
      .catch(e => e);
    expect(old.name).toBe('NotAllowedError');
    expect(old.message).toBe(
      `planId: plan ${plan.planId} was made 2 h ago, longer than the allowed 1 h (paved.terraform.planMaxAge); plan again`,
    );

    const fresh = await planPostgres(runner, 'aged');
    // The next plan in the workspace expired the old one and removed its file.
    expect((await runner.getPlan(plan.planId))?.status).toBe('expired');
    expect(
      fs.existsSync(path.join(root, 'work', 'aged', 'runs', plan.planId)),
    ).toBe(false);

    fs.appendFileSync(
      path.join(root, 'work', 'aged', 'runs', fresh.planId, 'paved.tfplan'),
      ' ',
    );
    const tampered = await runner.apply({ planId: fresh.planId }).catch(e => e);
    expect(tampered.name).toBe('ConflictError');
    expect(tampered.message).toBe(
      `planId: the plan file of plan ${fresh.planId} changed since it was reviewed (checksum mismatch); plan again`,
    );

    const missing = await runner
      .apply({ planId: '00000000-0000-4000-8000-000000000000' })
      .catch(e => e);
    expect(missing.name).toBe('NotFoundError');
    const malformed = await runner.apply({ planId: 'x' }).catch(e => e);
    expect(malformed.message).toBe(
      'planId: expected the id of a saved plan (a UUID), got "x"',
    );
  });

  it('says so when terraform refuses a plan file because the provider selections changed', async () => {
    const runner = await createRunner();
    const plan = await planPostgres(runner, 'relocked');
    // Someone ran `init -upgrade` in the run directory.
    const lockFile = path.join(
      root,
      'work',
      'relocked',
      'runs',
      plan.planId,
      '.terraform.lock.hcl',
    );
    fs.writeFileSync(
      lockFile,
      fs.readFileSync(lockFile, 'utf8').replace(/5\.0\.0/, '5.99.0'),
    );
    const error = await runner.apply({ planId: plan.planId }).catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toBe(
      `Plan ${plan.planId} cannot be applied in ${path.dirname(
        lockFile,
      )}: terraform refused its plan file (Inconsistent dependency lock file: The given plan file was created with a different set of external dependency selections than the current configuration. A saved plan can be applied only to the same configuration it was created from.\n\nCreate a new plan from the updated configuration.); plan again`,
    );
    expect((await runner.getPlan(plan.planId))?.status).toBe('planned');
  });

  it('refuses a stale plan: the state changed after it was made', async () => {
    const runner = await createRunner();
    const a = await planPostgres(runner, 'stale');
    const b = await planPostgres(runner, 'stale');
    await runner.apply({ planId: b.planId });
    const error = await runner.apply({ planId: a.planId }).catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toBe(
      `Plan ${a.planId} is stale: the state of workspace stale changed since it was planned; plan again`,
    );
    expect((await runner.getPlan(a.planId))?.status).toBe('stale');
  });

  it('reports the partial state when terraform crashes mid-apply, and resumes on retry', async () => {
    const runner = await createRunner();
    fake.setScenario(postgresScenario({ apply: { crashAfter: 2 } }));
    const plan = await planPostgres(runner, 'crash');
    const error = await runner
      .apply({ planId: plan.planId }, { onProgress })
      .catch(e => e);
    expect(error.name).toBe('TerraformRunError');
    expect(error.reason).toBe('crashed');
    expect(error.message).toBe(
      `terraform apply of plan ${plan.planId} in workspace crash crashed (exit code 11) after applying 2 of 4 change(s). ` +
        'Applied: random_password.master (create), aws_db_instance.this (create). ' +
        'Not applied: aws_secretsmanager_secret.master (create), aws_secretsmanager_secret_version.master (create). ' +
        'The state now holds 2 resource(s): random_password.master, aws_db_instance.this. ' +
        'Retry to resume: what is left of the reviewed plan is planned and applied.',
    );
    expect(error.stateResources).toEqual([
      'random_password.master',
      'aws_db_instance.this',
    ]);
    expect((await runner.getPlan(plan.planId))?.status).toBe('failed');

    // The retry plans what is left (checked against the reviewed plan) and applies it.
    fake.setScenario(postgresScenario());
    events = [];
    const result = await runner.apply({ planId: plan.planId }, { onProgress });
    expect(result).toMatchObject({ added: 4, resumed: true });
    expect(events.map(e => e.message)).toEqual(
      expect.arrayContaining([
        `Resuming plan ${plan.planId}: its last apply stopped part way, planning what is left`,
        'Left to apply from the reviewed plan: aws_secretsmanager_secret.master (create), aws_secretsmanager_secret_version.master (create)',
      ]),
    );
    const state = readState(path.join(root, 'work', 'crash'));
    expect(state.resources).toHaveLength(4);
    expect((await runner.getPlan(plan.planId))?.status).toBe('applied');
    expect(await everythingVisible(error.message)).not.toContain(DB_PASSWORD);
  });

  it('resumes an apply whose create was cut short, replacing the tainted object', async () => {
    const runner = await createRunner();
    fake.setScenario(
      postgresScenario({
        apply: {
          failAt: 'aws_db_instance.this',
          failure: {
            summary: 'local-exec provisioner error',
            detail: 'Error running command: signal: killed',
            tainted: true,
          },
        },
      }),
    );
    const plan = await planPostgres(runner, 'tainted');
    const error = await runner.apply({ planId: plan.planId }).catch(e => e);
    expect(error.message).toContain(
      'The state now holds 2 resource(s): random_password.master, aws_db_instance.this.',
    );
    fake.setScenario(postgresScenario());
    events = [];
    await expect(
      runner.apply({ planId: plan.planId }, { onProgress }),
    ).resolves.toMatchObject({ resumed: true, added: 4 });
    expect(events.map(e => e.message)).toContain(
      'Left to apply from the reviewed plan: aws_db_instance.this (replace), aws_secretsmanager_secret.master (create), aws_secretsmanager_secret_version.master (create)',
    );
    // Only a tainted object may be replaced: a replacement for another
    // reason was not reviewed (the next test).
  });

  it('will not resume when what is left differs from the reviewed plan', async () => {
    const runner = await createRunner();
    fake.setScenario(postgresScenario({ apply: { crashAfter: 1 } }));
    const plan = await planPostgres(runner, 'drift');
    await expect(runner.apply({ planId: plan.planId })).rejects.toThrow(
      'crashed',
    );
    // Meanwhile the module would also create something not reviewed.
    const scenario = postgresScenario();
    scenario.resources!.push({ address: 'aws_iam_role.extra', values: {} });
    fake.setScenario(scenario);
    const error = await runner.apply({ planId: plan.planId }).catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toBe(
      `Plan ${plan.planId} cannot be resumed: what is left to do differs from the reviewed plan (aws_iam_role.extra: create); plan again and review the new plan`,
    );
  });

  it('cancels with SIGINT: terraform stops, releases its lock, and the apply resumes later', async () => {
    const runner = await createRunner();
    const scenario = postgresScenario({ delays: { progressIntervalMs: 50 } });
    scenario.resources![1].applyMs = 20_000;
    fake.setScenario(scenario);
    const plan = await planPostgres(runner, 'cancel');
    const controller = new AbortController();
    const started = Date.now();
    const error = await runner
      .apply(
        { planId: plan.planId },
        {
          signal: controller.signal,
          onProgress: e => {
            events.push(e);
            if (/Still creating/.test(e.message)) controller.abort();
          },
        },
      )
      .catch(e => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error.name).toBe('TerraformRunError');
    expect(error.reason).toBe('cancelled');
    expect(error.message).toBe(
      'terraform apply in workspace cancel was cancelled: it stopped after SIGINT; the state lock is released. ' +
        'Applied before it stopped: random_password.master (create). Retry to resume.',
    );
    expect(events.map(e => e.message)).toContain(
      'Interrupt received.\nPlease wait for Terraform to exit or data loss may occur.\nGracefully shutting down...',
    );
    expect(
      fs.existsSync(
        path.join(root, 'work', 'cancel', '.terraform.tfstate.lock.info'),
      ),
    ).toBe(false);

    fake.setScenario(postgresScenario());
    await expect(runner.apply({ planId: plan.planId })).resolves.toMatchObject({
      resumed: true,
      added: 4,
    });
  });

  it('reports an apply done when the cancellation reaches terraform only after it finished', async () => {
    const runner = await createRunner();
    fake.setScenario(postgresScenario({ delays: { finishMs: 500 } }));
    const plan = await planPostgres(runner, 'late-cancel');
    const controller = new AbortController();
    const result = await runner.apply(
      { planId: plan.planId },
      {
        signal: controller.signal,
        onProgress: e => e.type === 'change_summary' && controller.abort(),
      },
    );
    expect(result).toMatchObject({ added: 4, resumed: false });
    expect((await runner.getPlan(plan.planId))?.status).toBe('applied');
    // terraform did get the interrupt, after it had finished.
    expect(fake.invocations().at(-1)?.argv[0]).toBe('apply');
  });

  it('kills terraform after the grace period and says the lock was released when it was', async () => {
    const runner = await createRunner({
      settings: { cancelGracePeriodMs: 300 },
    });
    const scenario = postgresScenario({ interrupt: 'ignore' });
    scenario.resources![0].applyMs = 20_000;
    fake.setScenario(scenario);
    const plan = await planPostgres(runner, 'killed');
    const error = await applyCancelledAtStart(runner, plan.planId);
    expect(error.message).toBe(
      'terraform apply in workspace killed was cancelled: it did not stop within 300 ms of SIGINT and was killed (SIGKILL); the state lock is released. ' +
        'Applied before it stopped: none. Retry to resume.',
    );
    // The killed process's lock died with it: the check took the lock and
    // released it, which also cleared the stale lock info file.
    expect(
      fs.existsSync(
        path.join(root, 'work', 'killed', '.terraform.tfstate.lock.info'),
      ),
    ).toBe(false);
    expect(fake.invocations().at(-1)?.argv).toEqual([
      'plan',
      '-json',
      '-input=false',
      '-lock-timeout=0s',
      '-refresh=false',
    ]);
  });

  it('kills terraform and names the state lock it left held in a remote backend', async () => {
    const runner = await createRunner({
      settings: {
        cancelGracePeriodMs: 300,
        backend: {
          type: 's3',
          bucket: 'paved-state',
          region: 'eu-west-1',
          keyPrefix: '',
          accessKeyId: 'AKIAEXAMPLEKEYID01',
          secretAccessKey: S3_SECRET,
        },
      },
    });
    const scenario = postgresScenario({
      interrupt: 'ignore',
      remoteStorageDir: path.join(root, 'bucket'),
    });
    scenario.resources![0].applyMs = 20_000;
    fake.setScenario(scenario);
    const plan = await planPostgres(runner, 'held');
    const error = await applyCancelledAtStart(runner, plan.planId);
    const lockInfo = JSON.parse(
      fs.readFileSync(
        path.join(
          root,
          'bucket',
          'paved-state',
          'held',
          'terraform.tfstate.tflock',
        ),
        'utf8',
      ),
    );
    expect(error.reason).toBe('cancelled');
    expect(error.stateLock).toMatchObject({
      id: lockInfo.ID,
      operation: 'OperationTypeApply',
      who: lockInfo.Who,
    });
    expect(error.message).toContain(
      `was killed (SIGKILL); the state lock is still held: operation error S3: PutObject, https response error StatusCode: 412, api error PreconditionFailed: At least one of the pre-conditions you specified did not hold (held by ${lockInfo.Who}, for OperationTypeApply, since `,
    );
    expect(error.message).toContain(
      `lock ID ${lockInfo.ID}, path paved-state/held/terraform.tfstate); once no terraform run uses the workspace, release it with "terraform force-unlock ${lockInfo.ID}".`,
    );
  });

  it('names the holder when another terraform run holds the state lock', async () => {
    const runner = await createRunner();
    // A colleague runs terraform by hand against the same state.
    const colleagueDir = path.join(root, 'colleague');
    const colleague = FakeTerraform.create({
      dir: path.join(root, 'colleague-fake'),
    });
    colleague.setScenario({
      resources: [{ address: 'aws_s3_bucket.manual', applyMs: 20_000 }],
    });
    fs.mkdirSync(colleagueDir, { recursive: true });
    fs.writeFileSync(
      path.join(colleagueDir, 'backend.tf.json'),
      JSON.stringify({ terraform: { backend: { local: {} } } }),
    );
    const statePath = path.join(root, 'work', 'shared', 'terraform.tfstate');
    const env = {
      ...process.env,
      ...colleague.env,
      PAVED_FAKE_TERRAFORM_WHO: 'alice@laptop',
    };
    const init = spawn(
      fakeTerraformPath,
      ['init', `-backend-config=path=${statePath}`],
      { cwd: colleagueDir, env },
    );
    await new Promise(r => init.once('close', r));
    const manual = spawn(
      fakeTerraformPath,
      ['apply', '-json', '-auto-approve'],
      { cwd: colleagueDir, env },
    );
    try {
      const lockFile = path.join(
        root,
        'work',
        'shared',
        '.terraform.tfstate.lock.info',
      );
      while (!fs.existsSync(lockFile))
        await new Promise(r => setTimeout(r, 20));
      const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));

      const error = await runner
        .plan({
          module: 'postgres-database',
          workspace: 'shared',
          variables: postgresVariables,
        })
        .catch(e => e);
      expect(error.name).toBe('ConflictError');
      expect(error.message).toMatch(
        new RegExp(
          `^The Terraform state of workspace shared is locked by another run: resource temporarily unavailable \\(held by alice@laptop, for OperationTypeApply, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+ \\+0000 UTC, lock ID ${
            lock.ID
          }, path ${statePath.replace(/[.]/g, '\\.')}\\)$`,
        ),
      );
      expect(
        await knex('paved_terraform__plans').where({ workspace: 'shared' }),
      ).toEqual([]);
    } finally {
      manual.kill('SIGKILL');
      await new Promise(r => manual.once('close', r));
    }
  });

  it('runs one run at a time per workspace across replicas', async () => {
    const replicaA = await createRunner({ replicaId: 'replica-a' });
    const replicaB = await createRunner({ replicaId: 'replica-b' });
    const scenario = postgresScenario();
    scenario.resources![0].applyMs = 20_000;
    fake.setScenario(scenario);
    const plan = await planPostgres(replicaA, 'busy');
    const controller = new AbortController();
    let applying!: () => void;
    const started = new Promise<void>(r => (applying = r));
    const running = replicaA
      .apply(
        { planId: plan.planId },
        {
          signal: controller.signal,
          onProgress: e => e.type === 'apply_start' && applying(),
        },
      )
      .catch(e => e);
    await started;
    const error = await replicaB
      .plan({
        module: 'postgres-database',
        workspace: 'busy',
        variables: postgresVariables,
      })
      .catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toMatch(
      new RegExp(
        `^Workspace "busy" is busy: run [0-9a-f-]{36} \\(apply\\) holds it on host .+ since .+Z; its lease expires at .+Z unless renewed$`,
      ),
    );
    controller.abort();
    expect((await running).reason).toBe('cancelled');
    // Once the first run ended, the other replica may run.
    fake.setScenario(postgresScenario());
    await expect(planPostgres(replicaB, 'busy')).resolves.toMatchObject({
      hasChanges: true,
    });
  });

  it('reads a large plan whole, 3,000 resources, and keeps its log to about a hundred lines', async () => {
    const runner = await createRunner();
    fake.setScenario({
      resources: Array.from({ length: 3000 }, (_, i) => ({
        address: `aws_s3_object.o${i}`,
        values: { key: `objects/${i}`, bucket: '${var.name}' },
      })),
    });
    const plan = await runner.plan(
      {
        module: 'object-bucket',
        workspace: 'large',
        variables: { name: 'large-bucket', owner: 'team' },
      },
      { onProgress },
    );
    expect(plan.summary).toMatchObject({ add: 3000, destroy: 0 });
    expect(plan.summary.resources).toHaveLength(3000);
    expect(plan.summary.resources.at(-1)?.address).toBe('aws_s3_object.o999');
    const lines = events.map(e => e.message);
    // 50 resources planned one by one, 29 count lines, 50 listed in the
    // summary and one that counts the rest; not 6,000 lines.
    expect(lines.filter(l => /resources planned: /.test(l))).toHaveLength(50);
    expect(
      lines.filter(l => /^\d+\/\d+ resources planned$/.test(l)),
    ).toHaveLength(30);
    expect(lines).toContain('3000/3000 resources planned');
    expect(lines.filter(l => /^ {2}\+ /.test(l))).toHaveLength(50);
    expect(lines).toContain(
      '  ... and 2,950 more (the plan summary lists every resource): + 2,950 aws_s3_object (create)',
    );
    expect(lines.length).toBeLessThan(150);

    // Applying it is counted the same way (TerraformProgress.test.ts, and
    // paved:terraform:apply's test with 300 resources).
  });

  it('redacts the plan encryption keys, the rotated-out ones too', async () => {
    const current = 'current-plan-key-'.padEnd(40, 'c');
    const previous = 'previous-plan-key-'.padEnd(40, 'p');
    const runner = await createRunner({
      settings: {
        planEncryptionKey: current,
        previousPlanEncryptionKeys: [previous],
      },
    });
    fake.setScenario(
      postgresScenario({
        fail: {
          plan: {
            summary: 'Invalid provider configuration',
            detail: `keys ${current} ${previous}`,
          },
        },
      }),
    );
    const error = await runner
      .plan({
        module: 'postgres-database',
        workspace: 'keys',
        variables: postgresVariables,
      })
      .catch(e => e);
    expect(error.message).toBe(
      'terraform plan failed in workspace keys: Invalid provider configuration: keys *** ***',
    );
    const visible = await everythingVisible(error.message);
    expect(visible).not.toContain(current);
    expect(visible).not.toContain(previous);
  });

  it('reports plan diagnostics and removes the failed run', async () => {
    const runner = await createRunner();
    fake.setScenario(
      postgresScenario({
        fail: {
          plan: {
            summary: 'Invalid provider configuration',
            detail: `region missing; key ${PROVIDER_SECRET}`,
          },
        },
      }),
    );
    const error = await runner
      .plan({
        module: 'postgres-database',
        workspace: 'broken',
        variables: postgresVariables,
      })
      .catch(e => e);
    expect(error.name).toBe('TerraformRunError');
    expect(error.message).toBe(
      'terraform plan failed in workspace broken: Invalid provider configuration: region missing; key ***',
    );
    expect(fs.readdirSync(path.join(root, 'work', 'broken', 'runs'))).toEqual(
      [],
    );
    expect(await everythingVisible(error.message)).not.toContain(
      PROVIDER_SECRET,
    );
  });

  it('plans without keeping anything for a dry run, and destroys a workspace', async () => {
    const runner = await createRunner();
    const dry = await planPostgres(runner, 'lifecycle', { discard: true });
    expect(dry.status).toBe('discarded');
    expect(
      fs.existsSync(path.join(root, 'work', 'lifecycle', 'runs', dry.planId)),
    ).toBe(false);
    await expect(runner.apply({ planId: dry.planId })).rejects.toThrow(
      `planId: plan ${dry.planId} is discarded and cannot be applied; plan again`,
    );

    const plan = await planPostgres(runner, 'lifecycle');
    await runner.apply({ planId: plan.planId });
    const preview = await planPostgres(runner, 'lifecycle', {
      destroy: true,
      discard: true,
    });
    expect(preview.summary).toMatchObject({
      add: 0,
      destroy: 4,
      text: 'Plan: 0 to add, 0 to change, 4 to destroy.',
    });

    const destroyed = await runner.destroy(
      {
        module: 'postgres-database',
        workspace: 'lifecycle',
        variables: postgresVariables,
      },
      { onProgress },
    );
    expect(destroyed).toMatchObject({
      workspace: 'lifecycle',
      added: 0,
      destroyed: 4,
      text: 'Destroy complete! Resources: 4 destroyed.',
    });
    expect(destroyed.resources.map(r => r.action)).toEqual([
      'delete',
      'delete',
      'delete',
      'delete',
    ]);
    expect(await runner.output({ workspace: 'lifecycle' })).toEqual({});
    expect(
      fs.readdirSync(path.join(root, 'work', 'lifecycle', 'runs')),
    ).toEqual([]);
  });
});

const PLAN_KEY = 'plan-encryption-key-for-tests-0123456789abcdef';

describe.each(databases.eachSupportedId())(
  'DefaultTerraformRunner on replicas that share only the database (%s)',
  databaseId => {
    const mockDir = createMockDirectory();
    let root: string;
    let knex: Knex;
    let fake: FakeTerraform;
    let logs: string[];
    let count = 0;

    beforeEach(async () => {
      root = path.join(mockDir.path, `case-${++count}`);
      knex = await databases.init(databaseId);
      fake = FakeTerraform.create({ dir: path.join(root, 'fake') });
      fake.setScenario(postgresScenario());
      logs = [];
    });

    /** A replica: its own work directory, the shared database and state. */
    function replica(
      name: string,
      settings: Partial<TerraformRunnerSettings> = {},
      now?: () => number,
    ) {
      return DefaultTerraformRunner.create({
        settings: {
          binary: fakeTerraformPath,
          modulesDir: MODULES,
          workDir: path.join(root, name, 'work'),
          // State in a place both reach, as a remote backend would be.
          backend: { type: 'local', directory: path.join(root, 'state') },
          planMaxAgeMs: 3_600_000,
          cancelGracePeriodMs: 2_000,
          lockLeaseMs: 60_000,
          stateLockTimeoutMs: 0,
          environment: fake.env,
          secretEnvironment: { AWS_SECRET_ACCESS_KEY: PROVIDER_SECRET },
          planEncryptionKey: PLAN_KEY,
          ...settings,
        },
        logger: captureLogger(logs),
        database: mockServices.database({
          knex,
          migrations: { skip: false },
        }),
        replicaId: name,
        now,
      });
    }

    const runDirOf = (name: string, workspace: string, planId: string) =>
      path.join(root, name, 'work', workspace, 'runs', planId);
    const storedFile = (planId: string) =>
      knex('paved_terraform__plan_files').where({ plan_id: planId }).first();

    it('applies a plan on another replica after the replica that made it lost its disk', async () => {
      const a = await replica('a');
      const b = await replica('b');
      // A newer provider release is out by the time the plan is applied.
      fake.setScenario(
        postgresScenario({
          providerVersions: { 'hashicorp/aws': '5.80.0' },
        }),
      );
      const plan = await planPostgres(a, 'orders-db', { owner: 'task-1' });
      const madeIn = runDirOf('a', 'orders-db', plan.planId);
      const planFile = fs.readFileSync(path.join(madeIn, 'paved.tfplan'));
      const lockFile = fs.readFileSync(
        path.join(madeIn, '.terraform.lock.hcl'),
        'utf8',
      );
      expect(lockFile).toContain('version     = "5.80.0"');
      // The plan file holds the password; what the database keeps does not.
      expect(planFile.includes(DB_PASSWORD)).toBe(true);
      const stored = await storedFile(plan.planId);
      expect(Number(stored.plan_file_bytes)).toBe(planFile.length);
      expect(Buffer.from(stored.content).includes(DB_PASSWORD)).toBe(false);
      expect(Buffer.from(stored.content).includes(planFile)).toBe(false);

      fs.rmSync(path.join(root, 'a'), { recursive: true, force: true });
      fake.setScenario(
        postgresScenario({
          providerVersions: { 'hashicorp/aws': '5.81.0' },
        }),
      );
      const events: TerraformProgressEvent[] = [];
      let lockAtApply: string | undefined;
      const appliedIn = runDirOf('b', 'orders-db', plan.planId);
      const before = fake.invocations().length;
      const result = await b.apply(
        { planId: plan.planId, owner: 'task-1' },
        {
          onProgress: e => {
            events.push(e);
            if (e.message.startsWith('Applying plan')) {
              lockAtApply = fs.readFileSync(
                path.join(appliedIn, '.terraform.lock.hcl'),
                'utf8',
              );
            }
          },
        },
      );
      expect(result).toMatchObject({
        planId: plan.planId,
        added: 4,
        resumed: false,
        text: 'Apply complete! Resources: 4 added, 0 changed, 0 destroyed.',
      });
      // Rebuilt from the database: init with the lock file it was planned
      // with, then exactly the saved plan file.
      expect(
        fake
          .invocations()
          .slice(before)
          .filter(i => i.argv[0] !== 'version')
          .map(i => [i.argv[0], i.argv.at(-1), i.cwd]),
      ).toEqual([
        [
          'init',
          `-backend-config=path=${path.join(
            root,
            'state',
            'orders-db',
            'terraform.tfstate',
          )}`,
          appliedIn,
        ],
        ['apply', 'paved.tfplan', appliedIn],
      ]);
      expect(lockAtApply).toBe(lockFile);
      expect(events.map(e => e.message)).toContain(
        `Plan ${
          plan.planId
        } is not on this replica: restoring it from the database (${(
          planFile.length / 1024
        ).toFixed(1)} KiB, checksum verified)`,
      );
      expect(fs.existsSync(appliedIn)).toBe(false);
      expect(await storedFile(plan.planId)).toBeUndefined();
      expect((await b.getPlan(plan.planId))?.status).toBe('applied');
      expect(
        (await b.output({ workspace: 'orders-db' })).database_name.value,
      ).toBe('orders');
      // Applied is applied, whichever replica is asked.
      await expect(
        (await replica('c')).apply({ planId: plan.planId, owner: 'task-1' }),
      ).resolves.toEqual(result);
      expect(JSON.stringify([logs, events])).not.toContain(DB_PASSWORD);
    });

    it('resumes on another replica an apply that crashed on the first', async () => {
      const a = await replica('a');
      const b = await replica('b');
      fake.setScenario(postgresScenario({ apply: { crashAfter: 2 } }));
      const plan = await planPostgres(a, 'orders-db');
      await expect(a.apply({ planId: plan.planId })).rejects.toThrow(
        'crashed (exit code 11) after applying 2 of 4 change(s)',
      );
      expect(await storedFile(plan.planId)).toBeDefined();
      fs.rmSync(path.join(root, 'a'), { recursive: true, force: true });

      fake.setScenario(postgresScenario());
      const events: TerraformProgressEvent[] = [];
      const result = await b.apply(
        { planId: plan.planId },
        { onProgress: e => events.push(e) },
      );
      expect(result).toMatchObject({ added: 4, resumed: true });
      expect(events.map(e => e.message)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            new RegExp(`^Plan ${plan.planId} is not on this replica`),
          ),
          'Left to apply from the reviewed plan: aws_secretsmanager_secret.master (create), aws_secretsmanager_secret_version.master (create)',
        ]),
      );
      const state = readState(path.join(root, 'state', 'orders-db'));
      expect(state.resources).toHaveLength(4);
      expect(await storedFile(plan.planId)).toBeUndefined();
    });

    it('refuses a plan sealed with another key, altered in the database, or of another terraform version', async () => {
      const a = await replica('a');
      const plan = await planPostgres(a, 'sealed');
      fs.rmSync(path.join(root, 'a'), { recursive: true, force: true });

      const otherKey = await replica('b', {
        planEncryptionKey: 'another-plan-encryption-key-for-tests-999',
      });
      const wrongKey = await otherKey
        .apply({ planId: plan.planId })
        .catch(e => e);
      expect(wrongKey.name).toBe('ConflictError');
      expect(wrongKey.message).toMatch(
        new RegExp(
          `^planId: plan ${plan.planId} was encrypted with key [0-9a-f]{16}, and this replica has key [0-9a-f]{16} \\(paved\\.terraform\\.planEncryptionKey\\); set paved\\.terraform\\.planEncryptionKey to the same value on every replica \\(after a rotation, keep the old key in paved\\.terraform\\.previousPlanEncryptionKeys until its plans are applied or expired\\), or plan again$`,
        ),
      );
      // Without a key configured, the replica's generated key does not open it either.
      const noKey = await replica('c', { planEncryptionKey: undefined });
      await expect(noKey.apply({ planId: plan.planId })).rejects.toThrow(
        `(the key file ${path.join(
          root,
          'c',
          'work',
          '.paved-plan-files.key',
        )})`,
      );

      const b = await replica('d');
      const stored = await storedFile(plan.planId);
      const altered = Buffer.from(stored.content);
      altered[altered.length - 1] ^= 1;
      await knex('paved_terraform__plan_files')
        .where({ plan_id: plan.planId })
        .update({ content: altered });
      const tampered = await b.apply({ planId: plan.planId }).catch(e => e);
      expect(tampered.name).toBe('ConflictError');
      expect(tampered.message).toMatch(
        new RegExp(
          `^planId: the stored plan file of plan ${plan.planId} does not decrypt with key [0-9a-f]{16}: it was altered or belongs to another plan; plan again$`,
        ),
      );
      await knex('paved_terraform__plan_files')
        .where({ plan_id: plan.planId })
        .update({ content: stored.content });

      // A replica on another terraform version cannot read the plan file.
      fake.setScenario(postgresScenario({ version: '1.12.0' }));
      const upgraded = await replica('e');
      const version = await upgraded
        .apply({ planId: plan.planId })
        .catch(e => e);
      expect(version.name).toBe('ConflictError');
      expect(version.message).toBe(
        `planId: plan ${plan.planId} was made with terraform 1.11.4 and this replica runs 1.12.0; a plan file applies only with the version that made it, so plan again`,
      );
      // None of the refusals ran terraform apply or changed the plan.
      expect(fake.invocations().map(i => i.argv[0])).not.toContain('apply');
      expect((await b.getPlan(plan.planId))?.status).toBe('planned');
      fake.setScenario(postgresScenario());
      await expect(b.apply({ planId: plan.planId })).resolves.toMatchObject({
        added: 4,
      });
    });

    it('refuses a plan file larger than planMaxBytes, keeping nothing of it', async () => {
      const a = await replica('a', { planMaxBytes: 2048 });
      fake.setScenario({
        resources: Array.from({ length: 50 }, (_, i) => ({
          address: `aws_s3_object.o${i}`,
          values: { key: `objects/${i}`, bucket: '${var.name}' },
        })),
      });
      const error = await a
        .plan({
          module: 'object-bucket',
          workspace: 'too-big',
          variables: { name: 'too-big-bucket', owner: 'team' },
        })
        .catch(e => e);
      expect(error.name).toBe('NotAllowedError');
      expect(error.message).toMatch(
        /^The plan of module object-bucket in workspace too-big is \d+\.\d KiB, more than the 2\.0 KiB that paved\.terraform\.planMaxBytes allows to keep for apply; plan fewer resources per workspace, or raise the limit$/,
      );
      expect(await knex('paved_terraform__plans')).toEqual([]);
      expect(await knex('paved_terraform__plan_files')).toEqual([]);
      expect(
        fs.readdirSync(path.join(root, 'a', 'work', 'too-big', 'runs')),
      ).toEqual([]);
      // A dry run keeps no plan file, so the limit does not apply to it.
      await expect(
        a.plan({
          module: 'object-bucket',
          workspace: 'too-big',
          variables: { name: 'too-big-bucket', owner: 'team' },
          discard: true,
        }),
      ).resolves.toMatchObject({ status: 'discarded' });
    });

    it('expires plans everywhere: the stored plan file, and each replica’s run directories of plans done elsewhere', async () => {
      let now = Date.now();
      const a = await replica('a');
      const b = await replica('b', {}, () => now);
      const old = await planPostgres(a, 'old');
      const elsewhere = await planPostgres(a, 'elsewhere');
      const kept = await planPostgres(a, 'kept');
      // b applies one plan of a's: a's copy of its run directory is left over.
      await b.apply({ planId: elsewhere.planId });
      // A run of a's that died without a plan, long ago.
      const orphan = runDirOf(
        'a',
        'orphan',
        '00000000-0000-4000-8000-0000000000aa',
      );
      fs.mkdirSync(orphan, { recursive: true });
      fs.writeFileSync(path.join(orphan, 'paved.auto.tfvars.json'), '{}');
      fs.utimesSync(orphan, new Date(0), new Date(0));

      now = Date.now() + 3_600_001;
      await knex('paved_terraform__plans')
        .where({ plan_id: kept.planId })
        .update({ created_at: now });
      await expect(b.expirePlans()).resolves.toBe(1);
      expect((await b.getPlan(old.planId))?.status).toBe('expired');
      expect(await storedFile(old.planId)).toBeUndefined();
      expect(await storedFile(kept.planId)).toBeDefined();
      // b had none of a's run directories; a sweeps its own.
      expect(fs.existsSync(runDirOf('a', 'old', old.planId))).toBe(true);
      await expect(a.expirePlans()).resolves.toBe(0);
      expect(fs.existsSync(runDirOf('a', 'old', old.planId))).toBe(false);
      expect(fs.existsSync(runDirOf('a', 'elsewhere', elsewhere.planId))).toBe(
        false,
      );
      expect(fs.existsSync(orphan)).toBe(false);
      expect(fs.existsSync(runDirOf('a', 'kept', kept.planId))).toBe(true);
      await expect(a.apply({ planId: kept.planId })).resolves.toMatchObject({
        added: 4,
      });
    });
  },
);

const postgresIds = databases
  .eachSupportedId()
  .filter(([id]) => id.startsWith('POSTGRES'));

// PostgreSQL runs whenever its connection string is set (npm test sets it);
// the engine list itself is checked in DatabaseWorkspaceLock.test.ts.
if (postgresIds.length) {
  describe.each(postgresIds)(
    'DefaultTerraformRunner with the pg state backend (%s)',
    databaseId => {
      const mockDir = createMockDirectory();

      async function setup(id: TestDatabaseId) {
        const knex = await databases.init(id);
        const fake = FakeTerraform.create({
          dir: path.join(mockDir.path, 'fake'),
        });
        fake.setScenario(postgresScenario());
        const logs: string[] = [];
        const runner = await DefaultTerraformRunner.create({
          settings: {
            binary: fakeTerraformPath,
            modulesDir: MODULES,
            workDir: path.join(mockDir.path, 'work'),
            backend: { type: 'pg', schemaPrefix: 'tfstate_' },
            planMaxAgeMs: 3_600_000,
            cancelGracePeriodMs: 300,
            lockLeaseMs: 60_000,
            stateLockTimeoutMs: 0,
            environment: fake.env,
            secretEnvironment: {},
          },
          logger: captureLogger(logs),
          database: mockServices.database({
            knex,
            migrations: { skip: false },
          }),
          config: portalDatabaseConfig(knex),
        });
        return { knex, fake, runner, logs };
      }

      it('keeps state in the portal’s PostgreSQL, a schema per workspace', async () => {
        const { knex, fake, runner, logs } = await setup(databaseId);
        const plan = await planPostgres(runner, 'orders-db');
        await runner.apply({ planId: plan.planId });
        const rows = await knex('tfstate_orders_db.states').select(
          'name',
          'data',
        );
        expect(rows.map(r => r.name)).toEqual(['default']);
        const state = JSON.parse(rows[0].data);
        expect(
          state.resources.map((r: any) => `${r.type}.${r.name}`),
        ).toHaveLength(4);
        expect(
          (await runner.output({ workspace: 'orders-db' })).database_name.value,
        ).toBe('orders');
        // The connection string (with its password, if any) only in the environment.
        const init = fake.invocations().find(i => i.argv[0] === 'init')!;
        expect(init.argv).toEqual([
          'init',
          '-input=false',
          '-no-color',
          '-backend-config=schema_name=tfstate_orders_db',
        ]);
        expect(init.envKeys).toContain('PG_CONN_STR');
        expect(JSON.stringify(logs)).not.toContain(DB_PASSWORD);
      });

      it('releases the PostgreSQL lock when terraform is killed', async () => {
        const { knex, fake, runner } = await setup(databaseId);
        const scenario = postgresScenario({ interrupt: 'ignore' });
        scenario.resources![0].applyMs = 20_000;
        fake.setScenario(scenario);
        const plan = await planPostgres(runner, 'killed-pg');
        const error = await applyCancelledAtStart(runner, plan.planId);
        expect(error.message).toContain(
          'was killed (SIGKILL); the state lock is released.',
        );
        const locks = await knex.raw(
          "select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())",
        );
        expect(locks.rows[0].n).toBe(0);
      });
    },
  );
}
