import { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';

/** The zod the scaffolder hands to each schema field. */
export type Zod = Parameters<
  NonNullable<NonNullable<TemplateActionOptions['schema']>['input']>[string]
>[0];

/** The values a schema of zod fields describes. */
export type ValuesOf<S> = {
  [K in keyof S]: S[K] extends (z: Zod) => { _output: infer T } ? T : never;
};
