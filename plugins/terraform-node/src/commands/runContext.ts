import { LoggerService } from '@backstage/backend-plugin-api';
import { TerraformEmit, TerraformRunContext } from '../cli/TerraformCli';
import { ModuleCatalog } from '../modules/ModuleCatalog';
import { WorkspaceRun } from '../runs/WorkspaceRuns';
import { SecretRedactor } from '../SecretRedactor';
import { TerraformRunOptions } from '../TerraformRunner';

/**
 * Where a run's progress lines go: the caller's listener, each line
 * redacted; a listener that throws is logged, never fatal to the run.
 */
export function progressEmitter(
  options: TerraformRunOptions,
  redactor: SecretRedactor,
  logger: LoggerService,
): TerraformEmit {
  return event => {
    const safe = { ...event, message: redactor.redact(event.message) };
    try {
      options.onProgress?.(safe);
    } catch (error) {
      logger.warn('terraform progress listener failed', {
        error: String(error),
      });
    }
  };
}

/** Redacts the module's sensitive variables besides the runner's secrets. */
export function moduleRedactor(
  catalog: ModuleCatalog,
  moduleName: string,
  variables: Record<string, unknown>,
  runnerSecrets: SecretRedactor,
): SecretRedactor {
  try {
    return SecretRedactor.create(
      catalog.sensitiveVariables(moduleName).map(name => variables[name]),
      runnerSecrets,
    );
  } catch {
    // A module no longer in the catalogue: the runner's secrets at least.
    return SecretRedactor.create([], runnerSecrets);
  }
}

/** What the terraform commands of a run with a directory take. */
export function cliContext(
  run: WorkspaceRun,
  redactor: SecretRedactor,
  emit: TerraformEmit,
): TerraformRunContext {
  return {
    workspace: run.workspace,
    runDir: run.runDir,
    signal: run.signal,
    redactor,
    emit,
  };
}
