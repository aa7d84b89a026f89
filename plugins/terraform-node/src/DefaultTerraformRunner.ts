import {
  DatabaseService,
  LoggerService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DatabasePlanStore, PlanRecord } from './DatabasePlanStore';
import { DatabaseWorkspaceLock } from './DatabaseWorkspaceLock';
import { migrateDatabase } from './migrateDatabase';
import { ModuleCatalog, TerraformModule } from './ModuleCatalog';
import {
  readTerraformRunnerConfig,
  TerraformRunnerSettings,
} from './readTerraformRunnerConfig';
import {
  runTerraformCommand,
  TerraformCommandResult,
} from './runTerraformCommand';
import { SecretRedactor } from './SecretRedactor';
import { formatResourceChange, summarizePlan } from './summarizePlan';
import { TerraformStateBackend } from './TerraformStateBackend';
import { TerraformProgress } from './TerraformProgress';
import {
  describeStateLock,
  parseStateLockDetail,
  TerraformRunError,
  TerraformStateLock,
} from './TerraformRunError';
import {
  TerraformApplyRequest,
  TerraformApplyResult,
  TerraformDestroyRequest,
  TerraformOutput,
  TerraformPlan,
  TerraformPlanRequest,
  TerraformProgressEvent,
  TerraformResourceAction,
  TerraformRunner,
  TerraformRunOptions,
} from './TerraformRunner';

const PLAN_FILE = 'paved.tfplan';
const RESUME_PLAN_FILE = 'paved-resume.tfplan';
const VARS_FILE = 'paved.auto.tfvars.json';
const BACKEND_FILE = 'paved_backend.tf.json';
const WORKSPACE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Environment variables terraform inherits from the portal's process. */
const INHERITED_ENV = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'TMPDIR',
  'LANG',
  'LC_ALL',
  'TZ',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'TF_CLI_CONFIG_FILE',
  'TF_PLUGIN_CACHE_DIR',
  // Workload identity: where credentials are, never credentials themselves.
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'GOOGLE_APPLICATION_CREDENTIALS',
];

const UNREACHABLE =
  /connection refused|no such host|i\/o timeout|dial tcp|could not connect|timed? ?out|ECONNREFUSED|ENOTFOUND|no valid credential|NoCredentialProviders|could not find default credentials|AccessDenied|SSL is not enabled|password authentication failed/i;

function sha256File(file: string) {
  return fs
    .readFile(file)
    .then(data => crypto.createHash('sha256').update(data).digest('hex'));
}

/**
 * Runs terraform or tofu on vetted modules, each run in its own working
 * directory, with variables as `*.tfvars.json` and generated configuration
 * as `*.tf.json` only; credentials only in the child's environment.
 *
 * @public
 */
export class DefaultTerraformRunner implements TerraformRunner {
  private catalogPromise?: Promise<ModuleCatalog>;
  private versionPromise?: Promise<string>;

  private constructor(
    private readonly settings: TerraformRunnerSettings,
    private readonly logger: LoggerService,
    private readonly locks: DatabaseWorkspaceLock,
    private readonly plans: DatabasePlanStore,
    private readonly redactor: SecretRedactor,
    private readonly stateBackend: TerraformStateBackend,
    private readonly now: () => number,
  ) {}

  /** A runner from `paved.terraform` config. */
  static async fromConfig(
    config: Config,
    options: { logger: LoggerService; database: DatabaseService },
  ): Promise<DefaultTerraformRunner> {
    return DefaultTerraformRunner.create({
      settings: readTerraformRunnerConfig(config),
      logger: options.logger,
      database: options.database,
    });
  }

  /** A runner from settings; migrates its tables. */
  static async create(options: {
    settings: TerraformRunnerSettings;
    logger: LoggerService;
    database: DatabaseService;
    /** Identifies this replica in workspace leases. */
    replicaId?: string;
    /** How often leases are renewed; default a third of the lease. */
    heartbeatMs?: number;
    now?: () => number;
  }): Promise<DefaultTerraformRunner> {
    const { settings, logger } = options;
    const knex = await migrateDatabase(options.database);
    const now = options.now ?? Date.now;
    const stateBackend = TerraformStateBackend.create({
      settings: settings.backend,
      workDir: settings.workDir,
      knex,
    });
    return new DefaultTerraformRunner(
      settings,
      logger,
      DatabaseWorkspaceLock.create({
        knex,
        logger,
        leaseMs: settings.lockLeaseMs,
        heartbeatMs: options.heartbeatMs,
        replicaId: options.replicaId,
        now,
      }),
      DatabasePlanStore.create({ knex, now }),
      SecretRedactor.create([
        ...Object.values(settings.secretEnvironment),
        ...stateBackend.secrets(),
      ]),
      stateBackend,
      now,
    );
  }

  async listModules(): Promise<TerraformModule[]> {
    return (await this.catalog()).list();
  }

  async getPlan(planId: string): Promise<TerraformPlan | undefined> {
    const record = await this.plans.get(planId);
    return record ? toPlan(record, this.settings.planMaxAgeMs) : undefined;
  }

  /**
   * Expires every unapplied plan older than `paved.terraform.planMaxAge`
   * and removes its plan file, which holds the plan's variable values.
   * Workspaces with a run in progress are left for the next time. Returns
   * how many plans expired.
   */
  async expirePlans(): Promise<number> {
    const old = await this.plans.listUnapplied({
      olderThanMs: this.settings.planMaxAgeMs,
    });
    let expired = 0;
    for (const workspace of new Set(old.map(p => p.workspace))) {
      let lease;
      try {
        lease = await this.locks.acquire({
          workspace,
          runId: crypto.randomUUID(),
          operation: 'expire-plans',
        });
      } catch (error) {
        if ((error as Error).name === 'ConflictError') continue;
        throw error;
      }
      try {
        expired += await this.expireOldPlans(workspace);
      } finally {
        await lease.release();
      }
    }
    if (expired) this.logger.info('Expired old terraform plans', { expired });
    return expired;
  }

  async plan(
    request: TerraformPlanRequest,
    options: TerraformRunOptions = {},
  ): Promise<TerraformPlan> {
    const catalog = await this.catalog();
    const workspace = checkWorkspace(request.workspace);
    const mod = catalog.get(request.module);
    const variables = catalog.validateVariables(mod.name, request.variables);
    const redactor = this.runRedactor(catalog, mod.name, variables);
    options.signal?.throwIfAborted();
    const version = await this.ready();

    const runId = crypto.randomUUID();
    const emit = this.emitter(options, redactor);
    const lease = await this.locks.acquire({
      workspace,
      runId,
      operation: request.destroy ? 'plan-destroy' : 'plan',
    });
    const signal = this.runSignal(options.signal, lease.lost);
    const log = this.logger.child({ workspace, runId, module: mod.name });
    let runDir: string | undefined;
    try {
      await this.expireOldPlans(workspace);
      runDir = await this.prepareRunDir(workspace, runId, mod.name, variables);
      emit({
        level: 'info',
        type: 'runner',
        message: `Planning ${
          request.destroy ? 'the destruction of ' : ''
        }module ${mod.name} in workspace ${workspace} with ${path.basename(
          this.settings.binary,
        )} ${version} (run ${runId})`,
      });
      await this.init(runDir, workspace, signal, redactor, emit);

      const planned = await this.runPlan({
        workspace,
        runDir,
        planFile: PLAN_FILE,
        destroy: Boolean(request.destroy),
        total: mod.resources.length,
        signal,
        redactor,
        emit,
      });

      const summary = await this.showPlan(runDir, PLAN_FILE, redactor);
      emit({ level: 'info', type: 'runner', message: summary.text });
      for (const r of summary.resources) {
        emit({
          level: 'info',
          type: 'runner',
          address: r.address,
          message: `  ${formatResourceChange(r)}`,
        });
      }
      const checksum = await sha256File(path.join(runDir, PLAN_FILE));
      const record = await this.plans.insert({
        planId: runId,
        workspace,
        module: mod.name,
        owner: request.owner,
        runDir: path.relative(this.settings.workDir, runDir),
        checksum,
        summary,
        status: request.discard ? 'discarded' : 'planned',
        hasChanges: planned.exitCode === 2,
        destroy: Boolean(request.destroy),
      });
      if (request.discard) await removeDir(runDir);
      log.info('terraform plan saved', {
        planId: runId,
        add: summary.add,
        change: summary.change,
        destroy: summary.destroy,
        discarded: Boolean(request.discard),
      });
      return toPlan(record, this.settings.planMaxAgeMs);
    } catch (error) {
      if (runDir) await removeDir(runDir);
      log.warn('terraform plan failed', {
        error: redactor.redact(String(error)),
      });
      throw error;
    } finally {
      await lease.release();
    }
  }

  async apply(
    request: TerraformApplyRequest,
    options: TerraformRunOptions = {},
  ): Promise<TerraformApplyResult> {
    const record = await this.loadPlan(request.planId);
    if (record.owner && request.owner !== record.owner) {
      throw new NotAllowedError(
        `planId: plan ${record.planId} belongs to another task; a plan is applied by the task that made it`,
      );
    }
    if (record.status === 'applied' && record.result) return record.result;
    checkApplicable(record);
    const age = this.now() - record.createdAt;
    if (age > this.settings.planMaxAgeMs) {
      throw new NotAllowedError(
        `planId: plan ${record.planId} was made ${formatDuration(
          age,
        )} ago, longer than the allowed ${formatDuration(
          this.settings.planMaxAgeMs,
        )} (paved.terraform.planMaxAge); plan again`,
      );
    }
    const destructive = record.summary.resources.filter(
      r => r.action === 'delete' || r.action === 'replace',
    );
    if (destructive.length && !request.allowDestroy) {
      throw new NotAllowedError(
        `Plan ${record.planId} would destroy ${
          record.summary.destroy
        } resource(s) (${destructive
          .map(r => `${r.address}: ${r.action}`)
          .join(', ')}); set allowDestroy to apply it`,
      );
    }
    const catalog = await this.catalog();
    const redactor = await this.planRedactor(catalog, record);
    options.signal?.throwIfAborted();
    await this.ready();

    const runId = crypto.randomUUID();
    const emit = this.emitter(options, redactor);
    const lease = await this.locks.acquire({
      workspace: record.workspace,
      runId,
      operation: 'apply',
    });
    const signal = this.runSignal(options.signal, lease.lost);
    const log = this.logger.child({
      workspace: record.workspace,
      runId,
      planId: record.planId,
    });
    try {
      // Under the lease: another replica may have finished it meanwhile.
      const current = (await this.loadPlan(record.planId))!;
      if (current.status === 'applied' && current.result) return current.result;
      checkApplicable(current);
      const runDir = path.resolve(this.settings.workDir, current.runDir);
      await this.verifyPlanFile(current, runDir);

      let planFile = PLAN_FILE;
      let summary = current.summary;
      const resumed =
        current.status === 'failed' || current.status === 'applying';
      if (resumed) {
        emit({
          level: 'info',
          type: 'runner',
          message: `Resuming plan ${current.planId}: its last apply stopped part way, planning what is left`,
        });
        const remaining = await this.planRemaining(
          current,
          runDir,
          signal,
          redactor,
          emit,
        );
        if (!remaining) {
          const result = this.applyResult(current, undefined, true);
          await this.plans.update(current.planId, {
            status: 'applied',
            result,
            error: null,
          });
          await removeDir(runDir);
          return result;
        }
        summary = remaining;
        planFile = RESUME_PLAN_FILE;
      }

      await this.plans.update(current.planId, { status: 'applying' });
      emit({
        level: 'info',
        type: 'runner',
        message: `Applying plan ${current.planId} to workspace ${current.workspace}: ${summary.text}`,
      });
      const progress = new TerraformProgress({
        operation: 'apply',
        total: summary.resources.length,
        redactor,
        emit,
      });
      const applied = await this.terraform(
        ['apply', '-json', '-input=false', this.lockTimeoutFlag(), planFile],
        runDir,
        { signal, onMessage: m => progress.handle(m) },
      );
      // Finished before the cancellation reached it: done is done.
      if (applied.exitCode === 0) {
        const result = this.applyResult(current, progress, resumed);
        await this.plans.update(current.planId, {
          status: 'applied',
          result,
          error: null,
        });
        await removeDir(runDir);
        log.info('terraform apply finished', {
          added: result.added,
          changed: result.changed,
          destroyed: result.destroyed,
          resumed,
        });
        return result;
      }

      const errors = progress.diagnostics.filter(d => d.severity === 'error');
      const lockDiag = errors.find(
        d => d.summary === 'Error acquiring the state lock',
      );
      if (lockDiag && progress.applied.size === 0) {
        await this.plans.update(current.planId, {
          status: resumed ? 'failed' : 'planned',
        });
        throw this.stateLockedError(current.workspace, lockDiag.detail);
      }
      if (errors.some(d => d.summary === 'Saved plan is stale')) {
        await this.plans.update(current.planId, {
          status: 'stale',
          error: 'state changed since the plan was made',
        });
        throw new ConflictError(
          `Plan ${current.planId} is stale: the state of workspace ${current.workspace} changed since it was planned; plan again`,
        );
      }
      const error = applied.cancelled
        ? await this.cancelled(
            'apply',
            current.workspace,
            runDir,
            applied,
            redactor,
            {
              summary,
              progress,
            },
          )
        : await this.partialFailure(
            current,
            runDir,
            applied,
            progress,
            summary,
            redactor,
          );
      await this.plans.update(current.planId, {
        status: 'failed',
        error: error.message,
      });
      log.warn('terraform apply stopped part way', {
        reason: error.reason,
        applied: error.appliedResources.length,
      });
      throw error;
    } finally {
      await lease.release();
    }
  }

  async destroy(
    request: TerraformDestroyRequest,
    options: TerraformRunOptions = {},
  ): Promise<TerraformApplyResult> {
    const catalog = await this.catalog();
    const workspace = checkWorkspace(request.workspace);
    const mod = catalog.get(request.module);
    const variables = catalog.validateVariables(mod.name, request.variables);
    const redactor = this.runRedactor(catalog, mod.name, variables);
    options.signal?.throwIfAborted();
    await this.ready();

    const runId = crypto.randomUUID();
    const emit = this.emitter(options, redactor);
    const lease = await this.locks.acquire({
      workspace,
      runId,
      operation: 'destroy',
    });
    const signal = this.runSignal(options.signal, lease.lost);
    let runDir: string | undefined;
    try {
      runDir = await this.prepareRunDir(workspace, runId, mod.name, variables);
      emit({
        level: 'info',
        type: 'runner',
        message: `Destroying module ${mod.name} in workspace ${workspace} (run ${runId})`,
      });
      await this.init(runDir, workspace, signal, redactor, emit);
      const progress = new TerraformProgress({
        operation: 'destroy',
        total: mod.resources.length,
        redactor,
        emit,
      });
      const result = await this.terraform(
        [
          'destroy',
          '-json',
          '-input=false',
          '-auto-approve',
          this.lockTimeoutFlag(),
        ],
        runDir,
        { signal, onMessage: m => progress.handle(m) },
      );
      if (result.cancelled && result.exitCode !== 0) {
        throw await this.cancelled(
          'destroy',
          workspace,
          runDir,
          result,
          redactor,
          {
            progress,
          },
        );
      }
      if (result.exitCode !== 0) {
        throw this.failure('destroy', workspace, result, progress, redactor);
      }
      const destroyed = [...progress.applied.entries()].map(
        ([address, action]) => ({ address, action }),
      );
      this.logger.info('terraform destroy finished', {
        workspace,
        runId,
        destroyed: destroyed.length,
      });
      return {
        workspace,
        added: progress.changeSummary?.add ?? 0,
        changed: progress.changeSummary?.change ?? 0,
        destroyed: progress.changeSummary?.remove ?? destroyed.length,
        resources: destroyed,
        resumed: false,
        text:
          progress.changeSummary?.message ??
          `Destroy complete! Resources: ${destroyed.length} destroyed.`,
      };
    } finally {
      if (runDir) await removeDir(runDir);
      await lease.release();
    }
  }

  async output(
    request: { workspace: string },
    options: TerraformRunOptions = {},
  ): Promise<Record<string, TerraformOutput>> {
    const workspace = checkWorkspace(request.workspace);
    options.signal?.throwIfAborted();
    await this.ready();
    const runId = crypto.randomUUID();
    const emit = this.emitter(options, this.redactor);
    // Reading outputs needs the backend only: no module, no providers.
    const runDir = await this.prepareRunDir(workspace, runId);
    try {
      await this.init(runDir, workspace, options.signal, this.redactor, emit);
      const result = await this.terraform(['output', '-json'], runDir, {
        signal: options.signal,
        captureStdout: true,
      });
      if (result.cancelled || result.exitCode !== 0) {
        throw new TerraformRunError(
          `terraform output failed in workspace ${workspace}: ${this.redactor.redact(
            errorText(result) || `exit code ${result.exitCode}`,
          )}`,
          { reason: result.cancelled ? 'cancelled' : 'failed' },
        );
      }
      const raw = parseJsonOutput(
        'output -json',
        result.stdout || '{}',
      ) as Record<string, any>;
      const outputs: Record<string, TerraformOutput> = {};
      for (const [name, o] of Object.entries(raw)) {
        outputs[name] = {
          value: o.value ?? null,
          sensitive: o.sensitive === true,
          type: o.type ?? null,
        };
      }
      const sensitive = Object.entries(outputs)
        .filter(([, o]) => o.sensitive)
        .map(([n]) => n);
      emit({
        level: 'info',
        type: 'runner',
        message: `Read ${
          Object.keys(outputs).length
        } output(s) of workspace ${workspace}${
          sensitive.length
            ? ` (sensitive, not shown: ${sensitive.join(', ')})`
            : ''
        }`,
      });
      return outputs;
    } finally {
      await removeDir(runDir);
    }
  }

  // ---------------------------------------------------------------- helpers

  private catalog(): Promise<ModuleCatalog> {
    if (!this.catalogPromise) {
      this.catalogPromise = ModuleCatalog.load(this.settings.modulesDir).catch(
        error => {
          this.catalogPromise = undefined;
          throw error;
        },
      );
    }
    return this.catalogPromise;
  }

  /** The binary's version, once the binary and the state backend are usable. */
  private async ready(): Promise<string> {
    const version = await this.ensureBinary();
    this.stateBackend.check();
    return version;
  }

  private ensureBinary(): Promise<string> {
    if (!this.versionPromise) {
      this.versionPromise = (async () => {
        await fs.mkdir(this.settings.workDir, { recursive: true });
        const result = await this.terraform(
          ['version', '-json'],
          this.settings.workDir,
          { captureStdout: true },
        );
        if (result.exitCode !== 0) {
          throw new NotFoundError(
            `Terraform binary "${
              this.settings.binary
            }" does not answer "version -json" (exit code ${
              result.exitCode
            }): ${this.redactor.redact(result.stderr.trim())}`,
          );
        }
        let version = 'unknown';
        try {
          version = JSON.parse(result.stdout).terraform_version ?? version;
        } catch {
          version = /v?(\d+\.\d+\.\d+)/.exec(result.stdout)?.[1] ?? version;
        }
        this.logger.info('Using terraform', {
          binary: this.settings.binary,
          version,
        });
        return version;
      })().catch(error => {
        this.versionPromise = undefined;
        throw error;
      });
    }
    return this.versionPromise;
  }

  private childEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const name of INHERITED_ENV) {
      if (process.env[name] !== undefined) env[name] = process.env[name];
    }
    Object.assign(
      env,
      {
        TF_IN_AUTOMATION: '1',
        TF_INPUT: '0',
        CHECKPOINT_DISABLE: '1',
      },
      this.settings.environment,
      this.settings.secretEnvironment,
    );
    return { ...env, ...this.stateBackend.environment() };
  }

  /** A run directory: the module's files, the backend and the variables. */
  private async prepareRunDir(
    workspace: string,
    runId: string,
    moduleName?: string,
    variables?: Record<string, unknown>,
  ): Promise<string> {
    // The workspace is checked already; the helper refuses any way out anyway.
    const runDir = resolveSafeChildPath(
      this.settings.workDir,
      path.join(workspace, 'runs', runId),
    );
    await fs.mkdir(runDir, { recursive: true, mode: 0o700 });
    if (moduleName) {
      for (const file of await (await this.catalog()).files(moduleName)) {
        await fs.copyFile(file, path.join(runDir, path.basename(file)));
      }
    }
    await fs.writeFile(
      path.join(runDir, BACKEND_FILE),
      `${JSON.stringify(this.stateBackend.configuration(), null, 2)}\n`,
    );
    if (variables) {
      // JSON variable files: a value is data, never configuration.
      await fs.writeFile(
        path.join(runDir, VARS_FILE),
        `${JSON.stringify(variables, null, 2)}\n`,
        { mode: 0o600 },
      );
    }
    return runDir;
  }

  private async init(
    runDir: string,
    workspace: string,
    signal: AbortSignal | undefined,
    redactor: SecretRedactor,
    emit: (e: TerraformProgressEvent) => void,
  ) {
    const result = await this.terraform(
      [
        'init',
        '-input=false',
        '-no-color',
        ...this.stateBackend.initFlags(workspace),
      ],
      runDir,
      { signal },
    );
    if (result.cancelled && result.exitCode !== 0) {
      throw await this.cancelled('init', workspace, runDir, result, redactor);
    }
    if (result.exitCode !== 0) {
      const message = redactor.redact(
        errorText(result) || `exit code ${result.exitCode}`,
      );
      // init prints this once the backend is done: what failed came later.
      const backendReady =
        /Initializing provider plugins|Initializing modules/.test(result.text);
      if (!backendReady && UNREACHABLE.test(message)) {
        throw new ServiceUnavailableError(
          `The ${this.stateBackend.type} state backend of workspace ${workspace} is unreachable: ${message}`,
        );
      }
      if (
        /Failed to (query available provider packages|install provider)/.test(
          message,
        )
      ) {
        throw new TerraformRunError(
          `terraform init could not install the providers of workspace ${workspace}: ${message}. Without access to their registry, give terraform a provider mirror (provider_installation in the file TF_CLI_CONFIG_FILE names) or a filled TF_PLUGIN_CACHE_DIR, through paved.terraform.environment`,
          { reason: 'failed', diagnostics: [message] },
        );
      }
      throw new TerraformRunError(
        `terraform init failed in workspace ${workspace}: ${message}`,
        { reason: 'failed', diagnostics: [message] },
      );
    }
    emit({
      level: 'info',
      type: 'runner',
      message: `Initialized the ${this.stateBackend.type} state backend of workspace ${workspace}`,
    });
  }

  private terraform(
    args: string[],
    cwd: string,
    options: {
      signal?: AbortSignal;
      captureStdout?: boolean;
      onMessage?: Parameters<typeof runTerraformCommand>[0]['onMessage'];
    },
  ): Promise<TerraformCommandResult> {
    return runTerraformCommand({
      binary: this.settings.binary,
      args,
      cwd,
      env: this.childEnv(),
      gracePeriodMs: this.settings.cancelGracePeriodMs,
      ...options,
    });
  }

  private async showPlan(
    runDir: string,
    file: string,
    redactor: SecretRedactor,
  ) {
    const shown = await this.terraform(['show', '-json', file], runDir, {
      captureStdout: true,
    });
    if (shown.exitCode !== 0) {
      throw new TerraformRunError(
        `terraform show of the saved plan failed: ${redactor.redact(
          errorText(shown) || `exit code ${shown.exitCode}`,
        )}`,
        { reason: 'failed' },
      );
    }
    return summarizePlan(
      parseJsonOutput('show -json of the saved plan', shown.stdout),
      redactor,
    );
  }

  /** Addresses of the resources in the workspace's state now. */
  private async stateAddresses(runDir: string): Promise<string[] | undefined> {
    const shown = await this.terraform(['show', '-json'], runDir, {
      captureStdout: true,
    });
    if (shown.exitCode !== 0) return undefined;
    try {
      const state = JSON.parse(shown.stdout);
      const out: string[] = [];
      const visit = (mod: any) => {
        for (const r of mod?.resources ?? [])
          if (r.mode === 'managed') out.push(r.address);
        for (const child of mod?.child_modules ?? []) visit(child);
      };
      visit(state.values?.root_module);
      return out;
    } catch {
      return undefined;
    }
  }

  /**
   * `plan -out -detailed-exitcode`, streamed into progress lines; throws the
   * error of a cancelled or failed plan.
   */
  private async runPlan(options: {
    workspace: string;
    runDir: string;
    planFile: string;
    destroy: boolean;
    /** Resources expected, for "3/7 resources planned". */
    total: number;
    signal: AbortSignal;
    redactor: SecretRedactor;
    emit: (e: TerraformProgressEvent) => void;
  }): Promise<TerraformCommandResult> {
    const { workspace, runDir, signal, redactor } = options;
    const progress = new TerraformProgress({
      operation: 'plan',
      total: options.total,
      redactor,
      emit: options.emit,
    });
    const planned = await this.terraform(
      [
        'plan',
        '-json',
        '-input=false',
        this.lockTimeoutFlag(),
        '-detailed-exitcode',
        `-out=${options.planFile}`,
        ...(options.destroy ? ['-destroy'] : []),
      ],
      runDir,
      { signal, onMessage: m => progress.handle(m) },
    );
    if (planned.cancelled && !planSucceeded(planned)) {
      throw await this.cancelled('plan', workspace, runDir, planned, redactor);
    }
    if (!planSucceeded(planned)) {
      throw this.failure('plan', workspace, planned, progress, redactor);
    }
    return planned;
  }

  /**
   * After an apply stopped part way: plans again in the same directory and
   * accepts the new plan only if every change in it was in the reviewed
   * plan. Returns undefined when nothing is left to do.
   */
  private async planRemaining(
    record: PlanRecord,
    runDir: string,
    signal: AbortSignal,
    redactor: SecretRedactor,
    emit: (e: TerraformProgressEvent) => void,
  ) {
    const planned = await this.runPlan({
      workspace: record.workspace,
      runDir,
      planFile: RESUME_PLAN_FILE,
      destroy: record.destroy,
      total: record.summary.resources.length,
      signal,
      redactor,
      emit,
    });
    if (planned.exitCode === 0) return undefined;
    const remaining = await this.showPlan(runDir, RESUME_PLAN_FILE, redactor);
    const reviewed = new Map(
      record.summary.resources.map(r => [r.address, r.action]),
    );
    const allowed: Record<string, TerraformResourceAction[]> = {
      create: ['create'],
      update: ['update'],
      delete: ['delete'],
      replace: ['replace', 'create', 'delete'],
      forget: ['forget'],
    };
    const unexpected = remaining.resources.filter(r => {
      const was = reviewed.get(r.address);
      return !was || !(allowed[was] ?? []).includes(r.action);
    });
    if (unexpected.length) {
      await this.plans.update(record.planId, {
        status: 'stale',
        error: 'the remaining changes differ from the reviewed plan',
      });
      throw new ConflictError(
        `Plan ${
          record.planId
        } cannot be resumed: what is left to do differs from the reviewed plan (${unexpected
          .map(r => `${r.address}: ${r.action}`)
          .join(', ')}); plan again and review the new plan`,
      );
    }
    emit({
      level: 'info',
      type: 'runner',
      message: `Left to apply from the reviewed plan: ${
        remaining.resources.map(r => `${r.address} (${r.action})`).join(', ') ||
        'no resource changes, only outputs'
      }`,
    });
    return remaining;
  }

  private applyResult(
    record: PlanRecord,
    progress: TerraformProgress | undefined,
    resumed: boolean,
  ): TerraformApplyResult {
    // What the reviewed plan did overall, even when finished in two goes.
    const { summary } = record;
    const actions = new Map(summary.resources.map(r => [r.address, r.action]));
    for (const [address, action] of progress?.applied ?? []) {
      if (!actions.has(address)) actions.set(address, action);
    }
    const resources = [...actions.entries()].map(([address, action]) => ({
      address,
      action,
    }));
    const added = summary.add;
    const changed = summary.change;
    const destroyed = summary.destroy;
    return {
      planId: record.planId,
      workspace: record.workspace,
      added,
      changed,
      destroyed,
      resources,
      resumed,
      text: record.destroy
        ? `Destroy complete! Resources: ${destroyed} destroyed.`
        : `Apply complete! Resources: ${added} added, ${changed} changed, ${destroyed} destroyed.`,
    };
  }

  private async partialFailure(
    record: PlanRecord,
    runDir: string,
    result: TerraformCommandResult,
    progress: TerraformProgress,
    summary: { resources: Array<{ address: string; action: string }> },
    redactor: SecretRedactor,
  ): Promise<TerraformRunError> {
    const crashed =
      result.exitCode === 11 || /TERRAFORM CRASH|^panic:/m.test(result.stderr);
    const applied = [...progress.applied.entries()].map(
      ([address, action]) => `${address} (${action})`,
    );
    const pending = summary.resources
      .filter(r => !progress.applied.has(r.address))
      .map(r => `${r.address} (${r.action})`);
    const state = await this.stateAddresses(runDir);
    const diagnostics = progress.errors();
    const what = crashed
      ? `crashed (exit code ${result.exitCode})`
      : `failed (exit code ${result.exitCode})${
          diagnostics.length ? `: ${diagnostics.join('; ')}` : ''
        }`;
    const message = redactor.redact(
      `terraform apply of plan ${record.planId} in workspace ${
        record.workspace
      } ${what} after applying ${applied.length} of ${
        summary.resources.length
      } change(s). Applied: ${applied.join(', ') || 'none'}. Not applied: ${
        pending.join(', ') || 'none'
      }. ${
        state
          ? `The state now holds ${state.length} resource(s)${
              state.length ? `: ${state.join(', ')}` : ''
            }. `
          : 'The state could not be read. '
      }Retry to resume: what is left of the reviewed plan is planned and applied.`,
    );
    return new TerraformRunError(message, {
      reason: crashed ? 'crashed' : 'failed',
      diagnostics,
      appliedResources: [...progress.applied.keys()],
      pendingResources: summary.resources
        .filter(r => !progress.applied.has(r.address))
        .map(r => r.address),
      stateResources: state,
    });
  }

  private failure(
    operation: string,
    workspace: string,
    result: TerraformCommandResult,
    progress: TerraformProgress,
    redactor: SecretRedactor,
  ): Error {
    const errors = progress.diagnostics.filter(d => d.severity === 'error');
    const lock = errors.find(
      d => d.summary === 'Error acquiring the state lock',
    );
    if (lock) return this.stateLockedError(workspace, lock.detail);
    const init = errors.find(d =>
      /Backend initialization required/.test(d.summary),
    );
    const diagnostics = progress.errors();
    const crashed =
      result.exitCode === 11 || /TERRAFORM CRASH|^panic:/m.test(result.stderr);
    const detail = diagnostics.length
      ? diagnostics.join('; ')
      : errorText(result) || `exit code ${result.exitCode}`;
    return new TerraformRunError(
      redactor.redact(
        `terraform ${operation} ${
          crashed ? 'crashed' : 'failed'
        } in workspace ${workspace}: ${init ? `${init.summary}` : detail}`,
      ),
      {
        reason: crashed ? 'crashed' : 'failed',
        diagnostics,
        appliedResources: [...progress.applied.keys()],
      },
    );
  }

  private stateLockedError(workspace: string, detail: string): ConflictError {
    const lock = parseStateLockDetail(detail) ?? { error: detail };
    const pg = /locked( for workspace creation)?: /.test(lock.error);
    return new ConflictError(
      pg
        ? `The Terraform state of workspace ${workspace} is locked by another PostgreSQL session (${lock.error}); another terraform run is using it`
        : `The Terraform state of workspace ${workspace} is locked by another run: ${describeStateLock(
            lock,
          )}`,
    );
  }

  /**
   * The error of a cancelled run, saying whether the state lock was
   * released or which lock is still held.
   */
  private async cancelled(
    operation: string,
    workspace: string,
    runDir: string,
    result: TerraformCommandResult,
    redactor: SecretRedactor,
    partial?: {
      summary?: { resources: Array<{ address: string; action: string }> };
      progress?: TerraformProgress;
    },
  ): Promise<TerraformRunError> {
    const how = result.killed
      ? `it did not stop within ${formatDuration(
          this.settings.cancelGracePeriodMs,
        )} of SIGINT and was killed (SIGKILL)`
      : `it stopped after SIGINT`;
    const lock = await this.probeStateLock(workspace, runDir);
    let lockText: string;
    if (lock === 'released') lockText = 'the state lock is released';
    else if (lock === 'unknown')
      lockText = 'whether the state lock is held could not be checked';
    else
      lockText = `the state lock is still held: ${describeStateLock(lock)}${
        lock.id
          ? `; once no terraform run uses the workspace, release it with "terraform force-unlock ${lock.id}"`
          : ''
      }`;
    const applied = [...(partial?.progress?.applied.entries() ?? [])].map(
      ([address, action]) => `${address} (${action})`,
    );
    const pending = partial?.summary
      ? partial.summary.resources
          .filter(r => !partial.progress?.applied.has(r.address))
          .map(r => r.address)
      : [];
    const appliedText =
      operation === 'apply' || operation === 'destroy'
        ? ` Applied before it stopped: ${applied.join(', ') || 'none'}.${
            operation === 'apply' ? ' Retry to resume.' : ''
          }`
        : '';
    return new TerraformRunError(
      redactor.redact(
        `terraform ${operation} in workspace ${workspace} was cancelled: ${how}; ${lockText}.${appliedText}`,
      ),
      {
        reason: 'cancelled',
        appliedResources: [...(partial?.progress?.applied.keys() ?? [])],
        pendingResources: pending,
        ...(typeof lock === 'object' ? { stateLock: lock } : {}),
      },
    );
  }

  /** Tries the state lock without waiting: held, released or unknown. */
  private async probeStateLock(
    workspace: string,
    runDir: string,
  ): Promise<TerraformStateLock | 'released' | 'unknown'> {
    try {
      await fs.access(path.join(runDir, '.terraform'));
    } catch {
      return 'released';
    }
    const progress = new TerraformProgress({
      operation: 'probe',
      total: 0,
      redactor: this.redactor,
    });
    const probe = await this.terraform(
      ['plan', '-json', '-input=false', '-lock-timeout=0s', '-refresh=false'],
      runDir,
      {
        signal: AbortSignal.timeout(
          Math.max(5_000, this.settings.cancelGracePeriodMs),
        ),
        onMessage: m => progress.handle(m),
      },
    );
    const lockDiag = progress.diagnostics.find(
      d => d.summary === 'Error acquiring the state lock',
    );
    if (lockDiag) {
      const lock = parseStateLockDetail(lockDiag.detail);
      this.logger.warn('terraform state lock still held after cancellation', {
        workspace,
        lockId: lock?.id,
      });
      return lock ?? { error: lockDiag.detail };
    }
    if (probe.exitCode === 0 || probe.exitCode === 2) return 'released';
    return 'unknown';
  }

  private async verifyPlanFile(record: PlanRecord, runDir: string) {
    const file = path.join(runDir, PLAN_FILE);
    let checksum: string;
    try {
      checksum = await sha256File(file);
    } catch {
      throw new NotFoundError(
        `planId: the plan file of plan ${record.planId} is not in ${runDir} on this replica; plan again (with several replicas, paved.terraform.workDir must be shared)`,
      );
    }
    if (checksum !== record.checksum) {
      throw new ConflictError(
        `planId: the plan file of plan ${record.planId} changed since it was reviewed (checksum mismatch); plan again`,
      );
    }
  }

  private async loadPlan(planId: unknown): Promise<PlanRecord> {
    if (typeof planId !== 'string' || !/^[0-9a-f-]{36}$/.test(planId)) {
      throw new InputError(
        `planId: expected the id of a saved plan (a UUID), got ${JSON.stringify(
          planId,
        )}`,
      );
    }
    const record = await this.plans.get(planId);
    if (!record) {
      throw new NotFoundError(`planId: no saved plan ${planId}`);
    }
    return record;
  }

  /** Expires a workspace's unapplied plans older than the maximum age. */
  private async expireOldPlans(workspace: string): Promise<number> {
    let expired = 0;
    for (const old of await this.plans.listUnapplied({
      workspace,
      olderThanMs: this.settings.planMaxAgeMs,
    })) {
      // The file goes only once the plan can no longer be applied.
      if (
        await this.plans.update(old.planId, {
          status: 'expired',
          from: ['planned', 'failed', 'stale'],
        })
      ) {
        await removeDir(path.resolve(this.settings.workDir, old.runDir));
        expired++;
      }
    }
    return expired;
  }

  private runRedactor(
    catalog: ModuleCatalog,
    moduleName: string,
    variables: Record<string, unknown>,
  ) {
    return SecretRedactor.create(
      catalog.sensitiveVariables(moduleName).map(name => variables[name]),
      this.redactor,
    );
  }

  /** Sensitive variables of a saved plan, read back from its run directory. */
  private async planRedactor(catalog: ModuleCatalog, record: PlanRecord) {
    let variables: Record<string, unknown> = {};
    try {
      variables = JSON.parse(
        await fs.readFile(
          path.resolve(this.settings.workDir, record.runDir, VARS_FILE),
          'utf8',
        ),
      );
    } catch {
      variables = {};
    }
    try {
      return this.runRedactor(catalog, record.module, variables);
    } catch {
      return SecretRedactor.create([], this.redactor);
    }
  }

  private emitter(options: TerraformRunOptions, redactor: SecretRedactor) {
    return (event: TerraformProgressEvent) => {
      const safe = { ...event, message: redactor.redact(event.message) };
      try {
        options.onProgress?.(safe);
      } catch (error) {
        this.logger.warn('terraform progress listener failed', {
          error: String(error),
        });
      }
    };
  }

  private runSignal(external: AbortSignal | undefined, lost: AbortSignal) {
    return external ? AbortSignal.any([external, lost]) : lost;
  }

  private lockTimeoutFlag() {
    return `-lock-timeout=${Math.round(
      this.settings.stateLockTimeoutMs / 1000,
    )}s`;
  }
}

/** `plan -detailed-exitcode` finished: 0 nothing to do, 2 changes. */
function planSucceeded(result: TerraformCommandResult) {
  return result.exitCode === 0 || result.exitCode === 2;
}

/** terraform's JSON output, or an error saying it was not JSON (never its content). */
function parseJsonOutput(what: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TerraformRunError(
      `terraform ${what} printed ${text.length} characters that are not JSON (${
        (error as Error).message
      }); is paved.terraform.binary terraform or tofu?`,
      { reason: 'failed' },
    );
  }
}

function checkApplicable(record: PlanRecord) {
  if (['discarded', 'expired', 'stale'].includes(record.status)) {
    throw new ConflictError(
      `planId: plan ${record.planId} is ${record.status} and cannot be applied; plan again`,
    );
  }
}

function checkWorkspace(workspace: unknown): string {
  if (typeof workspace !== 'string' || !WORKSPACE.test(workspace)) {
    throw new InputError(
      `workspace: expected 1-63 lowercase letters, digits and dashes, starting and ending with a letter or digit, got ${JSON.stringify(
        workspace,
      )}`,
    );
  }
  return workspace;
}

function errorText(result: TerraformCommandResult): string {
  const text = `${result.stderr}\n${result.text}`;
  const errors = [
    ...text.matchAll(/Error: ([^\n]+)(?:\n\n([^\n][\s\S]*?)(?:\n\n|$))?/g),
  ]
    .map(m => (m[2] ? `${m[1]}: ${m[2].trim()}` : m[1]))
    .filter(Boolean);
  if (errors.length) return errors.join('; ');
  return text.trim().split('\n').slice(-5).join(' ').trim();
}

async function removeDir(dir: string) {
  await fs.rm(dir, { recursive: true, force: true });
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms % 3_600_000 === 0 || ms >= 7_200_000)
    return `${Math.round(ms / 3_600_000)} h`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

function toPlan(record: PlanRecord, maxAgeMs: number): TerraformPlan {
  return {
    planId: record.planId,
    workspace: record.workspace,
    module: record.module,
    createdAt: new Date(record.createdAt).toISOString(),
    expiresAt: new Date(record.createdAt + maxAgeMs).toISOString(),
    hasChanges: record.hasChanges,
    destroy: record.destroy,
    status: record.status,
    summary: record.summary,
  };
}
