import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TerraformRunnerSettings } from '../readTerraformRunnerConfig';
import {
  cancelledError,
  commandFailure,
  errorText,
  parseJsonOutput,
  parseStateLockDetail,
  stateLockDiagnostic,
  TerraformRunError,
  TerraformStateLock,
} from '../errors';
import {
  runTerraformCommand,
  TerraformCommandResult,
  TerraformUiMessage,
} from './runTerraformCommand';
import { TerraformProcesses } from './TerraformProcesses';
import { SecretRedactor } from '../SecretRedactor';
import { summarizePlan } from '../plans/summarizePlan';
import { TerraformProgress } from './TerraformProgress';
import {
  TerraformOutput,
  TerraformPlanSummary,
  TerraformProgressEvent,
} from '../TerraformRunner';
import { TerraformStateBackend } from '../state/TerraformStateBackend';
import { childEnvironment } from './childEnvironment';

const UNREACHABLE =
  /connection refused|no such host|i\/o timeout|dial tcp|could not connect|timed? ?out|ECONNREFUSED|ENOTFOUND|no valid credential|NoCredentialProviders|could not find default credentials|AccessDenied|SSL is not enabled|password authentication failed/i;

/** Where a run's progress lines go, already free of secrets. */
export type TerraformEmit = (event: TerraformProgressEvent) => void;

/** What every command of one run shares. */
export interface TerraformRunContext {
  workspace: string;
  runDir: string;
  signal?: AbortSignal;
  /** Knows the run's sensitive values besides the runner's own secrets. */
  redactor: SecretRedactor;
  emit: TerraformEmit;
}

/** `plan -detailed-exitcode` finished: 0 nothing to do, 2 changes. */
export function planSucceeded(result: TerraformCommandResult) {
  return result.exitCode === 0 || result.exitCode === 2;
}

/**
 * The terraform commands of a run, in its run directory and with only the
 * environment terraform may see (credentials included, never in arguments
 * or files). Failures become errors that say what happened to the state;
 * a cancelled command's error says whether the state lock was released.
 */
export class TerraformCli {
  readonly #settings: TerraformRunnerSettings;
  readonly #stateBackend: TerraformStateBackend;
  /** Knows the runner's own secrets (credentials). */
  readonly #redactor: SecretRedactor;
  readonly #logger: LoggerService;
  readonly #processes: TerraformProcesses | undefined;
  #versionPromise?: Promise<string>;

  constructor(options: {
    settings: TerraformRunnerSettings;
    stateBackend: TerraformStateBackend;
    /** Knows the runner's own secrets (credentials). */
    redactor: SecretRedactor;
    logger: LoggerService;
    /** Where running processes are tracked, for shutdown. */
    processes?: TerraformProcesses;
  }) {
    this.#processes = options.processes;
    this.#settings = options.settings;
    this.#stateBackend = options.stateBackend;
    this.#redactor = options.redactor;
    this.#logger = options.logger;
  }

  /** The binary's file name: terraform or tofu. */
  get binaryName(): string {
    return path.basename(this.#settings.binary);
  }

  /** Runs one command; resolves however it ends. */
  run(
    args: string[],
    cwd: string,
    options: {
      signal?: AbortSignal;
      captureStdout?: boolean;
      onMessage?: (message: TerraformUiMessage) => void;
    },
  ): Promise<TerraformCommandResult> {
    return runTerraformCommand({
      binary: this.#settings.binary,
      args,
      cwd,
      env: childEnvironment(this.#settings, this.#stateBackend),
      gracePeriodMs: this.#settings.cancelGracePeriodMs,
      processes: this.#processes,
      ...options,
    });
  }

  /** The binary's version, once the binary and the state backend are usable. */
  async ready(): Promise<string> {
    const version = await this.version();
    this.#stateBackend.check();
    return version;
  }

  /** The binary's version, asked once; fails when the binary does not answer. */
  version(): Promise<string> {
    if (!this.#versionPromise) {
      this.#versionPromise = this.askVersion().catch(error => {
        this.#versionPromise = undefined;
        throw error;
      });
    }
    return this.#versionPromise;
  }

  private async askVersion(): Promise<string> {
    await fs.mkdir(this.#settings.workDir, { recursive: true });
    const result = await this.run(
      ['version', '-json'],
      this.#settings.workDir,
      {
        captureStdout: true,
      },
    );
    if (result.exitCode !== 0) {
      throw new NotFoundError(
        `Terraform binary "${
          this.#settings.binary
        }" does not answer "version -json" (exit code ${
          result.exitCode
        }): ${this.#redactor.redact(result.stderr.trim())}`,
      );
    }
    let version = 'unknown';
    try {
      version = JSON.parse(result.stdout).terraform_version ?? version;
    } catch {
      version = /v?(\d+\.\d+\.\d+)/.exec(result.stdout)?.[1] ?? version;
    }
    this.#logger.info('Using terraform', {
      binary: this.#settings.binary,
      version,
    });
    return version;
  }

  /** `-lock-timeout` for commands that take the state lock. */
  lockTimeoutFlag(): string {
    return `-lock-timeout=${Math.round(
      this.#settings.stateLockTimeoutMs / 1000,
    )}s`;
  }

  /** `init` with the workspace's partial backend configuration. */
  async init(run: TerraformRunContext): Promise<void> {
    const { workspace, runDir, redactor } = run;
    const result = await this.run(
      [
        'init',
        '-input=false',
        '-no-color',
        ...this.#stateBackend.initFlags(workspace),
      ],
      runDir,
      { signal: run.signal },
    );
    if (result.cancelled && result.exitCode !== 0) {
      throw await this.cancelled('init', run, result);
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
          `The ${
            this.#stateBackend.type
          } state backend of workspace ${workspace} is unreachable: ${message}`,
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
    run.emit({
      level: 'info',
      type: 'runner',
      message: `Initialized the ${
        this.#stateBackend.type
      } state backend of workspace ${workspace}`,
    });
  }

  /**
   * `plan -out -detailed-exitcode`, streamed into progress lines; throws the
   * error of a cancelled or failed plan.
   */
  async plan(
    run: TerraformRunContext,
    options: {
      planFile: string;
      destroy: boolean;
      /** Resources expected, for "3/7 resources planned". */
      total: number;
    },
  ): Promise<TerraformCommandResult> {
    const progress = new TerraformProgress({
      operation: 'plan',
      total: options.total,
      redactor: run.redactor,
      emit: run.emit,
    });
    const planned = await this.run(
      [
        'plan',
        '-json',
        '-input=false',
        this.lockTimeoutFlag(),
        '-detailed-exitcode',
        `-out=${options.planFile}`,
        ...(options.destroy ? ['-destroy'] : []),
      ],
      run.runDir,
      { signal: run.signal, onMessage: m => progress.handle(m) },
    );
    if (planned.cancelled && !planSucceeded(planned)) {
      throw await this.cancelled('plan', run, planned);
    }
    if (!planSucceeded(planned)) {
      throw commandFailure(
        'plan',
        run.workspace,
        planned,
        progress,
        run.redactor,
      );
    }
    return planned;
  }

  /** `show -json` of a saved plan, as its summary. */
  async show(
    run: TerraformRunContext,
    planFile: string,
  ): Promise<TerraformPlanSummary> {
    const shown = await this.run(['show', '-json', planFile], run.runDir, {
      captureStdout: true,
    });
    if (shown.exitCode !== 0) {
      throw new TerraformRunError(
        `terraform show of the saved plan failed: ${run.redactor.redact(
          errorText(shown) || `exit code ${shown.exitCode}`,
        )}`,
        { reason: 'failed' },
      );
    }
    return summarizePlan(
      parseJsonOutput('show -json of the saved plan', shown.stdout),
      run.redactor,
    );
  }

  /** `apply` of a saved plan file, streamed into `progress`. */
  apply(
    run: TerraformRunContext,
    planFile: string,
    progress: TerraformProgress,
  ): Promise<TerraformCommandResult> {
    return this.run(
      ['apply', '-json', '-input=false', this.lockTimeoutFlag(), planFile],
      run.runDir,
      { signal: run.signal, onMessage: m => progress.handle(m) },
    );
  }

  /** `destroy -auto-approve`, streamed into `progress`. */
  destroy(
    run: TerraformRunContext,
    progress: TerraformProgress,
  ): Promise<TerraformCommandResult> {
    return this.run(
      [
        'destroy',
        '-json',
        '-input=false',
        '-auto-approve',
        this.lockTimeoutFlag(),
      ],
      run.runDir,
      { signal: run.signal, onMessage: m => progress.handle(m) },
    );
  }

  /** `output -json`: every root output, sensitive values included. */
  async output(
    run: TerraformRunContext,
  ): Promise<Record<string, TerraformOutput>> {
    const result = await this.run(['output', '-json'], run.runDir, {
      signal: run.signal,
      captureStdout: true,
    });
    if (result.cancelled || result.exitCode !== 0) {
      throw new TerraformRunError(
        `terraform output failed in workspace ${
          run.workspace
        }: ${run.redactor.redact(
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
    return outputs;
  }

  /** Addresses of the resources in the workspace's state now. */
  async stateAddresses(runDir: string): Promise<string[] | undefined> {
    const shown = await this.run(['show', '-json'], runDir, {
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
   * The error of a cancelled command, after checking the state lock: it
   * says whether the lock was released or which lock is still held.
   */
  async cancelled(
    operation: string,
    run: TerraformRunContext,
    result: TerraformCommandResult,
    partial: {
      changes?: { resources: Array<{ address: string; action: string }> };
      progress?: TerraformProgress;
    } = {},
  ): Promise<TerraformRunError> {
    return cancelledError({
      operation,
      workspace: run.workspace,
      result,
      gracePeriodMs: this.#settings.cancelGracePeriodMs,
      lock: await this.probeStateLock(run.workspace, run.runDir),
      redactor: run.redactor,
      ...partial,
    });
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
      redactor: this.#redactor,
    });
    const probe = await this.run(
      ['plan', '-json', '-input=false', '-lock-timeout=0s', '-refresh=false'],
      runDir,
      {
        signal: AbortSignal.timeout(
          Math.max(5_000, this.#settings.cancelGracePeriodMs),
        ),
        onMessage: m => progress.handle(m),
      },
    );
    const lockDiag = stateLockDiagnostic(progress);
    if (lockDiag) {
      const lock = parseStateLockDetail(lockDiag.detail);
      this.#logger.warn('terraform state lock still held after cancellation', {
        workspace,
        lockId: lock?.id,
      });
      return lock ?? { error: lockDiag.detail };
    }
    if (planSucceeded(probe)) return 'released';
    return 'unknown';
  }
}
