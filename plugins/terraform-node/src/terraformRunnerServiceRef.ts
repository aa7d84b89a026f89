import {
  ServiceFactory,
  ServiceRef,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DefaultTerraformRunner } from './DefaultTerraformRunner';
import { TerraformRunner } from './TerraformRunner';

function runnerFactory(
  service: ServiceRef<TerraformRunner, 'plugin', 'singleton'>,
): ServiceFactory<TerraformRunner, 'plugin', 'singleton'> {
  return createServiceFactory({
    service,
    deps: {
      config: coreServices.rootConfig,
      logger: coreServices.logger,
      database: coreServices.database,
      scheduler: coreServices.scheduler,
      plugin: coreServices.pluginMetadata,
      lifecycle: coreServices.lifecycle,
    },
    async factory({ config, logger, database, scheduler, plugin, lifecycle }) {
      const runner = await DefaultTerraformRunner.fromConfig(config, {
        logger,
        database,
        pluginId: plugin.getId(),
      });
      // No terraform process outlives the backend: stopped and awaited here.
      lifecycle.addShutdownHook(() => runner.shutdown());
      await scheduler.scheduleTask({
        id: 'paved-terraform-expire-plans',
        frequency: { minutes: 10 },
        timeout: { minutes: 5 },
        initialDelay: { minutes: 1 },
        // Every replica removes its own run directories of finished plans.
        scope: 'local',
        fn: async () => {
          await runner.expirePlans();
        },
      });
      return runner;
    },
  });
}

/**
 * The TerraformRunner of a plugin. Its default factory reads
 * `paved.terraform`, keeps run leases and saved plans (plan files sealed)
 * in the plugin's own database (and pg state, by default, in the database
 * `backend.database` configures for the plugin), and expires old plans every 10 minutes with
 * the plugin's scheduler, on every replica, each removing its own run
 * directories of plans that are done. At the plugin's shutdown it stops
 * the terraform processes still running (SIGTERM, then SIGKILL after
 * `paved.terraform.cancelGracePeriod`) and waits for them. Its default factory is
 * {@link terraformRunnerServiceFactory}; replace it with `backend.add(...)`
 * of another factory for this ref.
 *
 * @public
 */
export const terraformRunnerServiceRef = createServiceRef<TerraformRunner>({
  id: 'paved.terraform.runner',
  scope: 'plugin',
  defaultFactory: async service => runnerFactory(service),
});

/**
 * Builds a {@link DefaultTerraformRunner} from app-config, on the plugin's
 * database and scheduler.
 *
 * @public
 */
export const terraformRunnerServiceFactory = runnerFactory(
  terraformRunnerServiceRef,
);
