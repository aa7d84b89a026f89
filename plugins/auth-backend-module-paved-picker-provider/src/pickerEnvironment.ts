import { Config } from '@backstage/config';

/** The config key that turns the picker on. */
export const PICKER_CONFIG_KEY = 'auth.providers.picker';

/**
 * Whether this backend runs as production does: `auth.environment:
 * production` (app-config.production.yaml) or NODE_ENV=production (the
 * image).
 */
export function isProduction(config: Config, env = process.env): boolean {
  return (
    config.getOptionalString('auth.environment') === 'production' ||
    env.NODE_ENV === 'production'
  );
}

/**
 * Refuses to start a production backend whose config turns the picker on:
 * it would let anyone sign in as anyone.
 */
export function assertPickerAllowed(config: Config, env = process.env) {
  if (!config.has(PICKER_CONFIG_KEY) || !isProduction(config, env)) return;
  throw new Error(
    `${PICKER_CONFIG_KEY} is set, but this backend runs in production ` +
      `(auth.environment: ${
        config.getOptionalString('auth.environment') ?? 'unset'
      }, NODE_ENV: ${
        env.NODE_ENV ?? 'unset'
      }): the sign-in picker lets anyone ` +
      `sign in as any user and is for the embedded default only. ` +
      `Set ${PICKER_CONFIG_KEY} to null in production.`,
  );
}
