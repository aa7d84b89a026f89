import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DefaultTerraformRunner } from './DefaultTerraformRunner';
import { TerraformRunner } from './TerraformRunner';

/**
 * The TerraformRunner of a plugin. Its default factory reads
 * `paved.terraform` and keeps run leases and saved plans in the plugin's
 * database.
 *
 * @public
 */
export const terraformRunnerServiceRef = createServiceRef<TerraformRunner>({
  id: 'paved.terraform.runner',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
      },
      async factory({ config, logger, database }) {
        return DefaultTerraformRunner.fromConfig(config, { logger, database });
      },
    }),
});
