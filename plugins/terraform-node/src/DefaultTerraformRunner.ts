import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DatabasePlanStore, PlanRecord } from './plans/DatabasePlanStore';
import { DatabaseWorkspaceLock } from './runs/DatabaseWorkspaceLock';
import { migrateDatabase } from './migrateDatabase';
import { ModuleCatalog, TerraformModule } from './modules/ModuleCatalog';
import {
  readTerraformRunnerConfig,
  TerraformRunnerSettings,
} from './readTerraformRunnerConfig';
import {
  partialApplyError,
  stateLockDiagnostic,
  stateLockedError,
  commandFailure,
} from './errors';
import { formatBytes, formatDuration, listUpTo } from './format';
import {
  PLAN_FILE,
  RESUME_PLAN_FILE,
  RunDirectories,
} from './runs/RunDirectories';
import { SavedPlanFiles, sha256 } from './plans/SavedPlanFiles';
import { SecretRedactor } from './SecretRedactor';
import { planSummaryLines } from './plans/summarizePlan';
import {
  TerraformCli,
  TerraformEmit,
  TerraformRunContext,
} from './cli/TerraformCli';
import { TerraformProgress } from './cli/TerraformProgress';
import {
  TerraformApplyRequest,
  TerraformApplyResult,
  TerraformDestroyRequest,
  TerraformOutput,
  TerraformPlan,
  TerraformPlanRequest,
  TerraformPlanSummary,
  TerraformResourceAction,
  TerraformRunner,
  TerraformRunOptions,
} from './TerraformRunner';
import { TerraformStateBackend } from './state/TerraformStateBackend';

const WORKSPACE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** terraform's refusals of a plan file before it applies anything. */
const REFUSED_PLAN = [
  'Inconsistent dependency lock file',
  'Failed to read plan from plan file',
];
/** What a resumed apply may do to a resource, given its reviewed action. */
const RESUMABLE: Record<string, TerraformResourceAction[]> = {
  create: ['create'],
  update: ['update'],
  delete: ['delete'],
  replace: ['replace', 'create', 'delete'],
  forget: ['forget'],
};

function sha256File(file: string) {
  return fs.readFile(file).then(sha256);
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

  private constructor(
    private readonly settings: TerraformRunnerSettings,
    private readonly logger: LoggerService,
    private readonly locks: DatabaseWorkspaceLock,
    private readonly plans: DatabasePlanStore,
    private readonly redactor: SecretRedactor,
    private readonly stateBackend: TerraformStateBackend,
    private readonly cli: TerraformCli,
    private readonly runDirs: RunDirectories,
    private readonly savedPlans: SavedPlanFiles,
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
    const redactor = SecretRedactor.create([
      ...Object.values(settings.secretEnvironment),
      ...stateBackend.secrets(),
      settings.planEncryptionKey,
      ...(settings.previousPlanEncryptionKeys ?? []),
    ]);
    const locks = DatabaseWorkspaceLock.create({
      knex,
      logger,
      leaseMs: settings.lockLeaseMs,
      heartbeatMs: options.heartbeatMs,
      replicaId: options.replicaId,
      now,
    });
    const plans = DatabasePlanStore.create({ knex, now });
    const runDirs = new RunDirectories(settings.workDir, stateBackend);
    return new DefaultTerraformRunner(
      settings,
      logger,
      locks,
      plans,
      redactor,
      stateBackend,
      new TerraformCli(settings, stateBackend, redactor, logger),
      runDirs,
      new SavedPlanFiles(settings, plans, runDirs, locks, logger, now),
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
    const swept = await this.savedPlans.sweep();
    if (expired || swept) {
      this.logger.info('Expired old terraform plans', { expired, swept });
    }
    return expired;
  }

  async plan(
    request: TerraformPlanRequest,
    options: TerraformRunOptions = {},
  ): Promise<TerraformPlan> {
    const start = await this.startModuleRun(
      request,
      options,
      request.destroy ? 'plan-destroy' : 'plan',
    );
    const { workspace, mod, redactor, version, runId, emit, lease } = start;
    const log = this.logger.child({ workspace, runId, module: mod.name });
    let runDir: string | undefined;
    try {
      await this.expireOldPlans(workspace);
      const run = await this.moduleRun(start, options);
      runDir = run.runDir;
      emit({
        level: 'info',
        type: 'runner',
        message: `Planning ${
          request.destroy ? 'the destruction of ' : ''
        }module ${mod.name} in workspace ${workspace} with ${
          this.cli.binaryName
        } ${version} (run ${runId})`,
      });
      await this.cli.init(run);
      const planned = await this.cli.plan(run, {
        planFile: PLAN_FILE,
        destroy: Boolean(request.destroy),
        total: mod.resources.length,
      });
      const summary = await this.cli.show(run, PLAN_FILE);
      emit({ level: 'info', type: 'runner', message: summary.text });
      for (const line of planSummaryLines(summary)) {
        emit({ level: 'info', type: 'runner', message: line });
      }
      const planPath = path.join(runDir, PLAN_FILE);
      const checksum = await sha256File(planPath);
      const planFile = request.discard
        ? undefined
        : await this.savedPlans.seal(runId, runDir, {
            module: mod.name,
            workspace,
          });
      const record = await this.plans.insert(
        {
          planId: runId,
          workspace,
          module: mod.name,
          owner: request.owner,
          runDir: this.runDirs.relative(runDir),
          checksum,
          summary,
          status: request.discard ? 'discarded' : 'planned',
          hasChanges: planned.exitCode === 2,
          destroy: Boolean(request.destroy),
        },
        planFile,
      );
      if (request.discard) await this.runDirs.remove(runDir);
      log.info('terraform plan saved', {
        planId: runId,
        add: summary.add,
        change: summary.change,
        destroy: summary.destroy,
        discarded: Boolean(request.discard),
      });
      return toPlan(record, this.settings.planMaxAgeMs);
    } catch (error) {
      if (runDir) await this.runDirs.remove(runDir);
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
    this.checkAge(record);
    checkDestroyPolicy(record, Boolean(request.allowDestroy));
    const catalog = await this.catalog();
    options.signal?.throwIfAborted();
    this.checkVersion(record, await this.ready());

    const runId = crypto.randomUUID();
    const lease = await this.locks.acquire({
      workspace: record.workspace,
      runId,
      operation: 'apply',
    });
    try {
      // Under the lease: another replica may have finished it meanwhile.
      const current = await this.loadPlan(record.planId);
      if (current.status === 'applied' && current.result) return current.result;
      checkApplicable(current);
      const run = await this.planRunDirectory(
        current,
        catalog,
        options,
        runSignal(options.signal, lease.lost),
      );
      return await this.applyPlan(current, run, runId);
    } finally {
      await lease.release();
    }
  }

  /**
   * The plan's run directory on this replica, checked against the plan's
   * checksum. Where it is missing (the plan was made on another replica, or
   * before this one restarted) it is rebuilt from the plan file saved in
   * the database: the module's files, the variables and the lock file, then
   * `init`, then the plan file.
   */
  private async planRunDirectory(
    record: PlanRecord,
    catalog: ModuleCatalog,
    options: TerraformRunOptions,
    signal: AbortSignal,
  ): Promise<TerraformRunContext> {
    const runDir = this.runDirs.resolve(record.runDir);
    const bundle = await this.savedPlans.missing(record, runDir);
    const redactor = this.runRedactor(
      catalog,
      record.module,
      bundle ? bundle.variables : await this.runDirs.readVariables(runDir),
    );
    const run: TerraformRunContext = {
      workspace: record.workspace,
      runDir,
      signal,
      redactor,
      emit: this.emitter(options, redactor),
    };
    if (bundle) {
      run.emit({
        level: 'info',
        type: 'runner',
        message: `Plan ${
          record.planId
        } is not on this replica: restoring it from the database (${formatBytes(
          bundle.planFile.length,
        )}, checksum verified)`,
      });
      await this.savedPlans.restore(
        runDir,
        await catalog.files(record.module),
        bundle,
        () => this.cli.init(run),
      );
    }
    await this.verifyPlanFile(record, runDir);
    return run;
  }

  /** A fresh run directory for a module and its variables, as a run's context. */
  private async newRun(
    run: Omit<TerraformRunContext, 'runDir' | 'signal'> & { runId: string },
    moduleFiles: string[],
    variables: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<TerraformRunContext> {
    const { runId, ...context } = run;
    const runDir = await this.runDirs.prepare({
      workspace: run.workspace,
      runId,
      moduleFiles,
      variables,
    });
    return { ...context, runDir, signal };
  }

  /** Applies a verified plan (or resumes it) under the workspace's lease. */
  private async applyPlan(
    record: PlanRecord,
    run: TerraformRunContext,
    runId: string,
  ): Promise<TerraformApplyResult> {
    const { emit } = run;
    const log = this.logger.child({
      workspace: record.workspace,
      runId,
      planId: record.planId,
    });
    let planFile = PLAN_FILE;
    let summary = record.summary;
    const resumed = record.status === 'failed' || record.status === 'applying';
    if (resumed) {
      emit({
        level: 'info',
        type: 'runner',
        message: `Resuming plan ${record.planId}: its last apply stopped part way, planning what is left`,
      });
      const remaining = await this.planRemaining(record, run);
      if (!remaining) {
        return this.finishApply(record, run, undefined, true);
      }
      summary = remaining;
      planFile = RESUME_PLAN_FILE;
    }

    await this.plans.update(record.planId, { status: 'applying' });
    emit({
      level: 'info',
      type: 'runner',
      message: `Applying plan ${record.planId} to workspace ${record.workspace}: ${summary.text}`,
    });
    const progress = new TerraformProgress({
      operation: 'apply',
      total: summary.resources.length,
      redactor: run.redactor,
      emit,
    });
    const applied = await this.cli.apply(run, planFile, progress);
    // Finished before the cancellation reached it: done is done.
    if (applied.exitCode === 0) {
      const result = await this.finishApply(record, run, progress, resumed);
      log.info('terraform apply finished', {
        added: result.added,
        changed: result.changed,
        destroyed: result.destroyed,
        resumed,
      });
      return result;
    }

    const errors = progress.diagnostics.filter(d => d.severity === 'error');
    const lockDiag = stateLockDiagnostic(progress);
    if (lockDiag && progress.applied.size === 0) {
      await this.plans.update(record.planId, {
        status: resumed ? 'failed' : 'planned',
      });
      throw stateLockedError(record.workspace, lockDiag.detail);
    }
    const refused = errors.find(d => REFUSED_PLAN.includes(d.summary));
    if (refused && progress.applied.size === 0) {
      await this.plans.update(record.planId, {
        status: resumed ? 'failed' : 'planned',
      });
      throw new ConflictError(
        run.redactor.redact(
          `Plan ${record.planId} cannot be applied in ${run.runDir}: terraform refused its plan file (${refused.summary}: ${refused.detail}); plan again`,
        ),
      );
    }
    if (errors.some(d => d.summary === 'Saved plan is stale')) {
      await this.plans.update(record.planId, {
        status: 'stale',
        error: 'state changed since the plan was made',
      });
      throw new ConflictError(
        `Plan ${record.planId} is stale: the state of workspace ${record.workspace} changed since it was planned; plan again`,
      );
    }
    const error = applied.cancelled
      ? await this.cli.cancelled('apply', run, applied, {
          changes: summary,
          progress,
        })
      : partialApplyError({
          planId: record.planId,
          workspace: record.workspace,
          result: applied,
          progress,
          changes: summary,
          state: await this.cli.stateAddresses(run.runDir),
          redactor: run.redactor,
        });
    await this.plans.update(record.planId, {
      status: 'failed',
      error: error.message,
    });
    log.warn('terraform apply stopped part way', {
      reason: error.reason,
      applied: error.appliedResources.length,
    });
    throw error;
  }

  /** Marks a plan applied and removes its run directory. */
  private async finishApply(
    record: PlanRecord,
    run: TerraformRunContext,
    progress: TerraformProgress | undefined,
    resumed: boolean,
  ): Promise<TerraformApplyResult> {
    const result = applyResult(record, progress, resumed);
    await this.plans.update(record.planId, {
      status: 'applied',
      result,
      error: null,
    });
    await this.runDirs.remove(run.runDir);
    return result;
  }

  async destroy(
    request: TerraformDestroyRequest,
    options: TerraformRunOptions = {},
  ): Promise<TerraformApplyResult> {
    const start = await this.startModuleRun(request, options, 'destroy');
    const { workspace, mod, redactor, runId, emit, lease } = start;
    let runDir: string | undefined;
    try {
      const run = await this.moduleRun(start, options);
      runDir = run.runDir;
      emit({
        level: 'info',
        type: 'runner',
        message: `Destroying module ${mod.name} in workspace ${workspace} (run ${runId})`,
      });
      await this.cli.init(run);
      const progress = new TerraformProgress({
        operation: 'destroy',
        total: mod.resources.length,
        redactor,
        emit,
      });
      const result = await this.cli.destroy(run, progress);
      if (result.cancelled && result.exitCode !== 0) {
        throw await this.cli.cancelled('destroy', run, result, { progress });
      }
      if (result.exitCode !== 0) {
        throw commandFailure('destroy', workspace, result, progress, redactor);
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
      if (runDir) await this.runDirs.remove(runDir);
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
    const runDir = await this.runDirs.prepare({ workspace, runId });
    try {
      const run: TerraformRunContext = {
        workspace,
        runDir,
        signal: options.signal,
        redactor: this.redactor,
        emit,
      };
      await this.cli.init(run);
      const outputs = await this.cli.output(run);
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
      await this.runDirs.remove(runDir);
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * What plan and destroy do before terraform runs: check the request
   * against the module catalogue, wait for the binary, take the
   * workspace's lease.
   */
  private async startModuleRun(
    request: TerraformDestroyRequest,
    options: TerraformRunOptions,
    operation: 'plan' | 'plan-destroy' | 'destroy',
  ) {
    const catalog = await this.catalog();
    const workspace = checkWorkspace(request.workspace);
    const mod = catalog.get(request.module);
    const variables = catalog.validateVariables(mod.name, request.variables);
    const redactor = this.runRedactor(catalog, mod.name, variables);
    options.signal?.throwIfAborted();
    const version = await this.ready();

    const runId = crypto.randomUUID();
    const emit = this.emitter(options, redactor);
    const lease = await this.locks.acquire({ workspace, runId, operation });
    return {
      catalog,
      workspace,
      mod,
      variables,
      redactor,
      version,
      runId,
      emit,
      lease,
    };
  }

  /** The run directory of a started plan or destroy, with the module and its variables. */
  private async moduleRun(
    start: Awaited<ReturnType<DefaultTerraformRunner['startModuleRun']>>,
    options: TerraformRunOptions,
  ): Promise<TerraformRunContext> {
    const { catalog, workspace, mod, variables, redactor, runId, emit } = start;
    return this.newRun(
      { workspace, runId, redactor, emit },
      await catalog.files(mod.name),
      variables,
      runSignal(options.signal, start.lease.lost),
    );
  }

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
    const version = await this.cli.version();
    this.stateBackend.check();
    return version;
  }

  /** Terraform reads only plan files its own version wrote. */
  private checkVersion(record: PlanRecord, version: string) {
    const planned = record.summary.terraformVersion;
    if (planned && version !== 'unknown' && planned !== version) {
      throw new ConflictError(
        `planId: plan ${record.planId} was made with ${this.cli.binaryName} ${planned} and this replica runs ${version}; a plan file applies only with the version that made it, so plan again`,
      );
    }
  }

  private checkAge(record: PlanRecord) {
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
  }

  /**
   * After an apply stopped part way: plans again in the same directory and
   * accepts the new plan only if every change in it was in the reviewed
   * plan. Returns undefined when nothing is left to do.
   */
  private async planRemaining(
    record: PlanRecord,
    run: TerraformRunContext,
  ): Promise<TerraformPlanSummary | undefined> {
    const planned = await this.cli.plan(run, {
      planFile: RESUME_PLAN_FILE,
      destroy: record.destroy,
      total: record.summary.resources.length,
    });
    if (planned.exitCode === 0) return undefined;
    const remaining = await this.cli.show(run, RESUME_PLAN_FILE);
    const reviewed = new Map(
      record.summary.resources.map(r => [r.address, r.action]),
    );
    const unexpected = remaining.resources.filter(r => {
      const was = reviewed.get(r.address);
      if (!was) return true;
      // A create cut short leaves its object tainted: replacing it finishes
      // the reviewed create.
      if (
        was === 'create' &&
        r.action === 'replace' &&
        r.reason === 'replace_because_tainted'
      )
        return false;
      return !(RESUMABLE[was] ?? []).includes(r.action);
    });
    if (unexpected.length) {
      await this.plans.update(record.planId, {
        status: 'stale',
        error: 'the remaining changes differ from the reviewed plan',
      });
      throw new ConflictError(
        `Plan ${
          record.planId
        } cannot be resumed: what is left to do differs from the reviewed plan (${listUpTo(
          unexpected.map(r => `${r.address}: ${r.action}`),
        )}); plan again and review the new plan`,
      );
    }
    run.emit({
      level: 'info',
      type: 'runner',
      message: `Left to apply from the reviewed plan: ${
        listUpTo(remaining.resources.map(r => `${r.address} (${r.action})`)) ||
        'no resource changes, only outputs'
      }`,
    });
    return remaining;
  }

  private async verifyPlanFile(record: PlanRecord, runDir: string) {
    const file = path.join(runDir, PLAN_FILE);
    let checksum: string;
    try {
      checksum = await sha256File(file);
    } catch {
      throw new NotFoundError(
        `planId: the plan file of plan ${record.planId} is not in ${runDir}; plan again`,
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
        await this.runDirs.remove(this.runDirs.resolve(old.runDir));
        expired++;
      }
    }
    return expired;
  }

  /** Redacts the module's sensitive variables besides the runner's secrets. */
  private runRedactor(
    catalog: ModuleCatalog,
    moduleName: string,
    variables: Record<string, unknown>,
  ) {
    try {
      return SecretRedactor.create(
        catalog.sensitiveVariables(moduleName).map(name => variables[name]),
        this.redactor,
      );
    } catch {
      // A module no longer in the catalogue: the runner's secrets at least.
      return SecretRedactor.create([], this.redactor);
    }
  }

  private emitter(
    options: TerraformRunOptions,
    redactor: SecretRedactor,
  ): TerraformEmit {
    return event => {
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
}

function runSignal(external: AbortSignal | undefined, lost: AbortSignal) {
  return external ? AbortSignal.any([external, lost]) : lost;
}

function checkApplicable(record: PlanRecord) {
  if (['discarded', 'expired', 'stale'].includes(record.status)) {
    throw new ConflictError(
      `planId: plan ${record.planId} is ${record.status} and cannot be applied; plan again`,
    );
  }
}

function checkDestroyPolicy(record: PlanRecord, allowDestroy: boolean) {
  const destructive = record.summary.resources.filter(
    r => r.action === 'delete' || r.action === 'replace',
  );
  if (destructive.length && !allowDestroy) {
    throw new NotAllowedError(
      `Plan ${record.planId} would destroy ${
        record.summary.destroy
      } resource(s) (${listUpTo(
        destructive.map(r => `${r.address}: ${r.action}`),
      )}); set allowDestroy to apply it`,
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

/** What the reviewed plan did overall, even when finished in two goes. */
function applyResult(
  record: PlanRecord,
  progress: TerraformProgress | undefined,
  resumed: boolean,
): TerraformApplyResult {
  const { summary } = record;
  const actions = new Map(summary.resources.map(r => [r.address, r.action]));
  for (const [address, action] of progress?.applied ?? []) {
    if (!actions.has(address)) actions.set(address, action);
  }
  return {
    planId: record.planId,
    workspace: record.workspace,
    added: summary.add,
    changed: summary.change,
    destroyed: summary.destroy,
    resources: [...actions.entries()].map(([address, action]) => ({
      address,
      action,
    })),
    resumed,
    text: record.destroy
      ? `Destroy complete! Resources: ${summary.destroy} destroyed.`
      : `Apply complete! Resources: ${summary.add} added, ${summary.change} changed, ${summary.destroy} destroyed.`,
  };
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
