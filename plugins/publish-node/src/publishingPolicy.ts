import type { RootConfigService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';

/**
 * Whether a repository on a host no publisher has credentials for may go to
 * the local forge: `paved.publish.localForgeFallback`, by default true
 * except in production (`auth.environment: production`), where a host
 * without credentials is an error rather than a silent detour.
 *
 * @public
 */
export function localForgeFallbackAllowed(config: RootConfigService): boolean {
  return (
    config.getOptionalBoolean('paved.publish.localForgeFallback') ??
    config.getOptionalString('auth.environment') !== 'production'
  );
}

/**
 * The error for a repoUrl host that has no credentials where the local
 * forge may not stand in: it names the host and the config key.
 *
 * @public
 */
export function noCredentialsError(host: string): Error {
  return new NotAllowedError(
    `repoUrl: the host "${host}" has no credentials: configure a token or a GitHub App for it under integrations.github (host: ${host}); this setting does not publish to the local forge instead (paved.publish.localForgeFallback)`,
  );
}

/**
 * The hosts a repoUrl may name when the template gives no `allowedHosts`:
 * github.com and every host of `integrations.github`.
 *
 * @public
 */
export function defaultAllowedHosts(config: RootConfigService): string[] {
  const configured = (
    config.getOptionalConfigArray('integrations.github') ?? []
  ).map(e => e.getOptionalString('host') ?? 'github.com');
  return [...new Set(['github.com', ...configured])];
}

/**
 * Refuses a repoUrl host outside the template's allowed hosts (its
 * RepoUrlPicker's `allowedHosts`, passed to the action), or outside
 * {@link defaultAllowedHosts} when it gives none, before anything is
 * created: a form sent through the API is not bound by the picker.
 *
 * @public
 */
export function assertAllowedHost(
  host: string,
  allowedHosts: string[] | undefined,
  config: RootConfigService,
): void {
  const allowed =
    allowedHosts && allowedHosts.length > 0
      ? allowedHosts
      : defaultAllowedHosts(config);
  if (!allowed.some(a => a.trim().toLowerCase() === host.toLowerCase())) {
    throw new InputError(
      `repoUrl: the host "${host}" is not one of the allowed hosts (${allowed.join(
        ', ',
      )}); ${
        allowedHosts?.length
          ? 'the allowedHosts input'
          : 'without allowedHosts, github.com and the hosts of integrations.github'
      } list the hosts a repository may go to`,
    );
  }
}
