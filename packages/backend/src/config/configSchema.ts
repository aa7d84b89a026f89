import { ConfigSchema, loadConfigSchema } from '@backstage/config-loader';
import { getPackages } from '@manypkg/get-packages';

let schemaPromise: Promise<ConfigSchema> | undefined;

/**
 * The config schema of every package in the workspace and their
 * dependencies (each package's `config.d.ts`). Loading it compiles those
 * files, which takes more than a second, so both the config validation and
 * the logger's secret redaction share one load.
 */
export function loadWorkspaceConfigSchema(
  dir: string = process.cwd(),
): Promise<ConfigSchema> {
  schemaPromise ??= getPackages(dir).then(({ packages }) =>
    loadConfigSchema({
      dependencies: packages.map(p => p.packageJson.name),
    }),
  );
  return schemaPromise;
}
