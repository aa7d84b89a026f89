import { TerraformEmit, TerraformRunContext } from '../cli/TerraformCli';
import { TerraformModule } from '../modules/ModuleCatalog';
import { checkWorkspace, WorkspaceRun } from '../runs/WorkspaceRuns';
import { SecretRedactor } from '../SecretRedactor';
import {
  TerraformDestroyRequest,
  TerraformRunOptions,
} from '../TerraformRunner';
import { CommandContext } from './CommandContext';
import { cliContext, moduleRedactor, progressEmitter } from './runContext';

/** A run of a module in a workspace, started: the request checked, the workspace taken. */
export interface ModuleRun {
  run: WorkspaceRun;
  module: TerraformModule;
  /** The binary's version. */
  version: string;
  /** Knows the module's sensitive variables besides the runner's secrets. */
  redactor: SecretRedactor;
  emit: TerraformEmit;
  /** Fills the run directory: the module's files and the variables. */
  prepare(): Promise<TerraformRunContext>;
}

/**
 * How plan and destroy start: the request checked against the module
 * catalogue before anything runs, the binary and the state backend
 * usable, the workspace's lease taken.
 */
export async function startModuleRun(
  context: CommandContext,
  request: TerraformDestroyRequest,
  options: TerraformRunOptions,
  operation: 'plan' | 'plan-destroy' | 'destroy',
): Promise<ModuleRun> {
  const { modules, cli, runs, logger } = context;
  const catalog = await modules.load();
  const workspace = checkWorkspace(request.workspace);
  const mod = catalog.get(request.module);
  const variables = catalog.validateVariables(mod.name, request.variables);
  const redactor = moduleRedactor(
    catalog,
    mod.name,
    variables,
    context.redactor,
  );
  options.signal?.throwIfAborted();
  const version = await cli.ready();
  const emit = progressEmitter(
    options,
    redactor,
    logger.child({ workspace, module: mod.name }),
  );
  const run = await runs.begin({
    workspace,
    operation,
    signal: options.signal,
  });
  return {
    run,
    module: mod,
    version,
    redactor,
    emit,
    prepare: async () => {
      await run.prepare({
        moduleFiles: await catalog.files(mod.name),
        variables,
      });
      return cliContext(run, redactor, emit);
    },
  };
}
