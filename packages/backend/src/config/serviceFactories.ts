import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { createConfigSecretEnumerator } from '@backstage/backend-defaults/rootConfig';
import { WinstonLogger } from '@backstage/backend-defaults/rootLogger';
import { ConfigSources } from '@backstage/config-loader';
import { format, transports } from 'winston';
import { loadWorkspaceConfigSchema } from './configSchema';
import { undeclaredConfigKeys } from './undeclaredConfigKeys';
import { validateConfig } from './validateConfig';

/**
 * Error thrown at start when the configuration is invalid.
 *
 * @public
 */
export class InvalidConfigError extends Error {
  readonly name = 'InvalidConfigError';
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration, the backend will not start:\n${problems
        .map(p => `  - ${p}`)
        .join('\n')}`,
    );
  }
}

/**
 * The root config, loaded as the default factory does (files from --config,
 * APP_CONFIG_ environment variables), then validated against every package's
 * config schema before any plugin sees it.
 */
export const validatedRootConfigServiceFactory = createServiceFactory({
  service: coreServices.rootConfig,
  deps: {},
  async factory() {
    const source = ConfigSources.default({});
    const config = await ConfigSources.toConfig(source);
    const problems = validateConfig(config, await loadWorkspaceConfigSchema());
    if (problems.length > 0) {
      throw new InvalidConfigError(problems);
    }
    return config;
  },
});

/**
 * The default root logger, but redacting secrets with the schema already
 * loaded for validation instead of compiling it a second time. Its first
 * lines warn about config keys no installed package declares.
 */
export const rootLoggerServiceFactory = createServiceFactory({
  service: coreServices.rootLogger,
  deps: { config: coreServices.rootConfig },
  async factory({ config }) {
    const logger = WinstonLogger.create({
      meta: {
        service: 'backstage',
        ...config.getOptionalConfig('backend.logger.meta')?.get<object>(),
      },
      level:
        process.env.LOG_LEVEL ||
        config.getOptionalString('backend.logger.level') ||
        'info',
      format:
        process.env.NODE_ENV === 'production'
          ? format.json()
          : WinstonLogger.colorFormat(),
      transports: [new transports.Console()],
    });
    const schema = await loadWorkspaceConfigSchema();
    const secrets = await createConfigSecretEnumerator({ logger, schema });
    logger.addRedactions(secrets(config));
    config.subscribe?.(() => logger.addRedactions(secrets(config)));
    logger.setLevelOverrides(
      config.getOptionalConfigArray('backend.logger.overrides')?.map(o => ({
        matchers: o.getConfig('matchers').get(),
        level: o.getString('level'),
      })) ?? [],
    );
    for (const key of await undeclaredConfigKeys(config, schema)) {
      logger.warn(
        `Config key ${key} is declared by no installed package, so nothing reads it; remove it, or check the upgrade notes of the plugin it was meant for`,
        { configKey: key },
      );
    }
    return logger;
  },
});
