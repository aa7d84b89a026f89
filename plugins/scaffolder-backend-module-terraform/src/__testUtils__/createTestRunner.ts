import { LoggerService } from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ActionContext, TaskSecrets } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { DefaultTerraformRunner } from '@paved/plugin-terraform-node';
import {
  FakeTerraform,
  FakeTerraformScenario,
  fakeTerraformPath,
  TEST_USERS,
  testOwnership,
} from '@paved/testkit';
import path from 'node:path';
import { InMemoryApprovals } from './InMemoryApprovals';

export const MODULES = path.resolve(
  __dirname,
  '../../../../templates/terraform/modules',
);
export const PROVIDER_SECRET = 'provider-secret-key-0a1b2c3d';
export const DB_PASSWORD = 'db-master-password-4e5f6a7b';

/** A logger keeping every line with its fields, to grep for secrets. */
export function captureLogger(
  lines: string[],
  fields: object = {},
): LoggerService {
  const log = (level: string) => (message: string, meta?: Error | object) =>
    void lines.push(
      `${level} ${message} ${meta ? JSON.stringify(meta) : ''} ${JSON.stringify(
        fields,
      )}`,
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
export function postgresScenario(
  extra: FakeTerraformScenario = {},
): FakeTerraformScenario {
  return {
    resources: [
      {
        address: 'random_password.master',
        values: { result: '${random}' },
        sensitive: ['result'],
      },
      {
        address: 'aws_db_instance.this',
        values: {
          identifier: '${var.name}',
          password: '${var.master_password}',
        },
        sensitive: ['password'],
        forceNew: ['identifier'],
        computed: ['address'],
      },
      {
        address: 'aws_secretsmanager_secret.master',
        values: { name: 'paved/postgres/${var.name}/master' },
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

/** A real DefaultTerraformRunner running the stand-in terraform. */
export async function createTestRunner(options: {
  dir: string;
  knex: Awaited<ReturnType<TestDatabases['init']>>;
  logs: string[];
}) {
  const fake = FakeTerraform.create({ dir: path.join(options.dir, 'fake') });
  fake.setScenario(postgresScenario());
  const runner = await DefaultTerraformRunner.create({
    settings: {
      binary: fakeTerraformPath,
      modulesDir: MODULES,
      workDir: path.join(options.dir, 'work'),
      backend: { type: 'local' },
      planMaxAgeMs: 3_600_000,
      cancelGracePeriodMs: 2_000,
      lockLeaseMs: 60_000,
      stateLockTimeoutMs: 0,
      environment: fake.env,
      secretEnvironment: { AWS_SECRET_ACCESS_KEY: PROVIDER_SECRET },
    },
    logger: captureLogger(options.logs),
    database: mockServices.database({
      knex: options.knex,
      migrations: { skip: false },
    }),
  });
  return { runner, fake };
}

/** What each test of {@link describeWithRunner} gets, fresh. */
export interface TestRunnerContext {
  runner: DefaultTerraformRunner;
  /** What the actions take: the runner, testOwnership() and a mock auditor. */
  options: {
    runner: DefaultTerraformRunner;
    ownership: ReturnType<typeof testOwnership>;
    auditor: ReturnType<typeof mockServices.auditor.mock>;
    /**
     * Approvals in memory. `approveEveryPlan` (default true) has apply find
     * each plan approved, for tests of what apply does; the approval
     * gate's own tests set it to false.
     */
    approvals: InMemoryApprovals;
  };
  fake: FakeTerraform;
  /** Every log line of the runner and of the tasks' steps. */
  logs: string[];
  /** The test's own directory (work directory, stand-in files). */
  dir: string;
  databaseId: TestDatabaseId;
  /** The runner's database. */
  knex: Awaited<ReturnType<TestDatabases['init']>>;
}

const databases = TestDatabases.create();

/**
 * A describe block run once per database engine (SQLite, and PostgreSQL
 * when its connection string is set), each test with a fresh runner on a
 * fresh database, the stand-in terraform playing the postgres-database
 * module. `body` reads the context's fields inside its tests only.
 */
export function describeWithRunner(
  name: string,
  body: (t: TestRunnerContext) => void,
) {
  describe.each(databases.eachSupportedId())(`${name} (%s)`, databaseId => {
    const mockDir = createMockDirectory();
    const t = { databaseId } as TestRunnerContext;
    let count = 0;
    beforeEach(async () => {
      t.logs = [];
      t.dir = path.join(mockDir.path, `case-${++count}`);
      t.knex = await databases.init(databaseId);
      ({ runner: t.runner, fake: t.fake } = await createTestRunner({
        dir: t.dir,
        knex: t.knex,
        logs: t.logs,
      }));
      t.options = {
        runner: t.runner,
        ownership: testOwnership(),
        auditor: mockServices.auditor.mock(),
        approvals: new InMemoryApprovals({ approveEveryPlan: true }),
      };
    });
    body(t);
  });
}

/**
 * A task as the scaffolder runs it: checkpoints that succeeded are returned
 * when its steps run again instead of running again, as the task's
 * checkpoint state does. Running the steps again as they are is a task
 * recovery (the stored secrets kept); {@link TestTask.retry} first does
 * what a Retry does to the secrets.
 */
export class TestTask {
  readonly checkpoints = new Map<
    string,
    { status: 'success' | 'failed'; value?: unknown; reason?: string }
  >();
  readonly outputs: Record<string, Record<string, unknown>> = {};
  /** The task's secrets: as POST /v2/tasks stores them, the creator's own token. */
  secrets: TaskSecrets;
  /** Who started the task (ctx.user, the initiator credentials); default the admin. */
  readonly user: string;
  private retries = 0;

  constructor(
    readonly id: string,
    readonly logs: string[],
    options: { secrets?: TaskSecrets; user?: string } = {},
  ) {
    this.secrets = options.secrets ?? {
      backstageToken: mockCredentials.user.token(),
    };
    this.user = options.user ?? TEST_USERS.admin;
  }

  /**
   * What POST /v2/tasks/:taskId/retry does to the task's secrets: replaces
   * them, with a backstageToken minted for the retrying user by the auth
   * service. Real tokens differ on every mint (issued-at, signature); the
   * mock auth service's depend on the user only, so by default each retry
   * here is made by another user.
   */
  async retry(by = `user:default/reviewer-${++this.retries}`) {
    const { token } = await mockServices.auth().getPluginRequestToken({
      onBehalfOf: mockCredentials.user(by),
      targetPluginId: 'catalog',
    });
    this.secrets = { backstageToken: token };
  }

  context<TInput extends Record<string, any>>(
    stepId: string,
    input: TInput,
    options: { isDryRun?: boolean; signal?: AbortSignal } = {},
  ): ActionContext<TInput, any> {
    const outputs: Record<string, unknown> = (this.outputs[stepId] = {});
    const base = createMockActionContext<TInput>({
      input,
      logger: captureLogger(this.logs, { stepId }),
      task: { id: this.id },
      secrets: this.secrets,
    });
    return {
      ...base,
      step: { id: stepId, name: stepId },
      user: { ref: this.user },
      getInitiatorCredentials: async () => mockCredentials.user(this.user),
      isDryRun: options.isDryRun,
      signal: options.signal,
      output: (name: string, value: unknown) => {
        outputs[name] = value;
      },
      checkpoint: async ({ key, fn }: { key: string; fn: () => any }) => {
        const full = `v1.task.checkpoint.${stepId}.${key}`;
        const previous = this.checkpoints.get(full);
        if (previous?.status === 'success') return previous.value;
        try {
          const value = await fn();
          this.checkpoints.set(full, { status: 'success', value });
          return value;
        } catch (error) {
          this.checkpoints.set(full, {
            status: 'failed',
            reason: String(error),
          });
          throw error;
        }
      },
    } as ActionContext<TInput, any>;
  }
}

/** Replaces `${{ steps.<id>.output.<path> }}` with what earlier steps output. */
function render(value: unknown, task: TestTask): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\{\{\s*steps\.([\w-]+)\.output\.([\w.]+)\s*\}\}/g,
      (_m, step: string, outputPath: string) => {
        let v: any = task.outputs[step];
        for (const part of outputPath.split('.')) v = v?.[part];
        if (v === undefined) {
          throw new Error(
            `example refers to missing ${step}.output.${outputPath}`,
          );
        }
        return String(v);
      },
    );
  }
  if (Array.isArray(value)) return value.map(v => render(v, task));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, render(v, task)]),
    );
  }
  return value;
}

/** A step's rendered `if`, as the scaffolder reads it. */
function isTruthy(value: unknown) {
  return !(
    value === false ||
    value === 'false' ||
    value === '' ||
    value === undefined
  );
}

/**
 * Runs the steps of an action example (YAML) in a task: the terraform
 * actions for real, other actions (debug:log) by rendering their input;
 * a step whose rendered `if` is false is skipped.
 * Returns the rendered input of each step.
 */
export async function runExampleSteps(
  steps: Array<{
    id?: string;
    action: string;
    if?: string | boolean;
    input?: Record<string, unknown>;
  }>,
  actions: Array<{ id: string; handler: (ctx: any) => Promise<void> }>,
  task: TestTask,
) {
  const rendered: Record<string, unknown> = {};
  for (const [index, step] of steps.entries()) {
    const id = step.id ?? `step-${index}`;
    if (step.if !== undefined && !isTruthy(render(step.if, task))) continue;
    const input = render(step.input ?? {}, task) as Record<string, unknown>;
    rendered[id] = input;
    const action = actions.find(a => a.id === step.action);
    if (action) await action.handler(task.context(id, input));
    else if (!step.action.startsWith('debug:')) {
      throw new Error(`example uses an unknown action ${step.action}`);
    }
  }
  return rendered;
}
