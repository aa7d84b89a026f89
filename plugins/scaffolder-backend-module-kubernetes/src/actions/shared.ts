import {
  ActionContext,
  TemplateActionOptions,
} from '@backstage/plugin-scaffolder-node';

/** The zod the scaffolder hands to each schema field. */
export type Zod = Parameters<
  NonNullable<NonNullable<TemplateActionOptions['schema']>['input']>[string]
>[0];

/** The `component` input of the steps that act in its namespace. */
export const componentInput = (z: Zod) =>
  z
    .string()
    .describe(
      'The catalog component; its namespace is <component>-<environment>.',
    );

/** The `environment` input of the steps that deploy into it. */
export const environmentInput = (z: Zod) =>
  z.string().describe('The environment, e.g. dev or prod.');

/** The `cluster` input of every paved:kubernetes:* step. */
export const clusterInput = (z: Zod) =>
  z
    .string()
    .optional()
    .describe('A configured cluster name; the default cluster when left out.');

/** The `created` output of the steps that write objects. */
export const createdOutput = (z: Zod) =>
  z.array(z.string()).describe('Objects created, as Kind/name.');

/** The `updated` output of the steps that write objects. */
export const updatedOutput = (z: Zod) =>
  z.array(z.string()).describe('Objects changed, as Kind/name.');

/** A `timeoutSeconds` input; its description says what it waits for and the default. */
export const timeoutSecondsInput = (description: string) => (z: Zod) =>
  z.number().int().positive().optional().describe(description);

/** A `timeoutSeconds` input in milliseconds, as the provisioner takes it. */
export function timeoutMsOf(timeoutSeconds: number | undefined) {
  return timeoutSeconds !== undefined ? timeoutSeconds * 1000 : undefined;
}

/** What the steps' handlers use of the action context. */
export type StepContext = Pick<
  ActionContext<any, any>,
  | 'logger'
  | 'checkpoint'
  | 'output'
  | 'isDryRun'
  | 'signal'
  | 'workspacePath'
  | 'secrets'
>;
