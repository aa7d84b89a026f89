import { checkWorkspace } from '../../runs/WorkspaceRuns';
import {
  TerraformPlanPreview,
  TerraformPlanRequest,
} from '../../TerraformRunner';
import { CommandContext } from '../CommandContext';

const SENSITIVE = '(sensitive value)';

/**
 * What a plan would run, for a dry run: the request checked as `plan`
 * checks it, and nothing else: no terraform, no lease, no run directory.
 */
export class PreviewCommand {
  readonly #context: CommandContext;

  constructor(context: CommandContext) {
    this.#context = context;
  }

  async run(request: TerraformPlanRequest): Promise<TerraformPlanPreview> {
    const catalog = await this.#context.modules.load();
    const workspace = checkWorkspace(request.workspace);
    const mod = catalog.get(request.module);
    const variables = catalog.validateVariables(mod.name, request.variables);
    const sensitive = new Set(catalog.sensitiveVariables(mod.name));
    const shown: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(variables)) {
      shown[name] = sensitive.has(name)
        ? SENSITIVE
        : this.#context.redactor.redactJson(value);
    }
    return {
      module: mod.name,
      workspace,
      variables: shown,
      destroy: Boolean(request.destroy),
    };
  }
}
