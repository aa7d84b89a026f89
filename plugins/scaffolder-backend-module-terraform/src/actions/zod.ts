import { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';

/** The zod the scaffolder hands to each schema field. */
export type Zod = Parameters<
  NonNullable<NonNullable<TemplateActionOptions['schema']>['input']>[string]
>[0];
