import { checkWorkspace } from '../../runs/WorkspaceRuns';
import { TerraformOutput, TerraformRunOptions } from '../../TerraformRunner';
import { CommandContext } from '../CommandContext';
import { cliContext, progressEmitter } from '../runContext';

/**
 * `output`: a workspace's root outputs, sensitive ones included. It only
 * reads the state, so it takes no lease, and its run directory holds the
 * backend alone: no module, no providers.
 */
export class OutputsCommand {
  readonly #context: CommandContext;

  constructor(context: CommandContext) {
    this.#context = context;
  }

  async run(
    request: { workspace: string },
    options: TerraformRunOptions = {},
  ): Promise<Record<string, TerraformOutput>> {
    const { cli, runs, redactor, logger } = this.#context;
    const workspace = checkWorkspace(request.workspace);
    options.signal?.throwIfAborted();
    await cli.ready();
    const run = await runs.begin({ workspace, signal: options.signal });
    const emit = progressEmitter(
      options,
      redactor,
      logger.child({ workspace }),
    );
    try {
      await run.prepare();
      const context = cliContext(run, redactor, emit);
      await cli.init(context);
      const outputs = await cli.output(context);
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
      await run.end();
    }
  }
}
