import { Config } from '@backstage/config';

/**
 * Whether `integrations.github` has an entry for the host with credentials
 * (a non-empty token, or at least one GitHub App). `paved:publish` publishes
 * to GitHub then, and to the local forge otherwise; the `paved:github:*`
 * actions skip their work for local-forge repositories.
 *
 * @public
 */
export function hasGitHubCredentials(config: Config, host: string): boolean {
  const entries = config.getOptionalConfigArray('integrations.github') ?? [];
  return entries.some(entry => {
    const entryHost = entry.getOptionalString('host') ?? 'github.com';
    if (entryHost.toLowerCase() !== host.toLowerCase()) return false;
    // Read loosely: an unset ${GITHUB_TOKEN:-} may arrive as an empty string.
    const raw = entry.getOptional('token');
    const token = typeof raw === 'string' ? raw.trim() : undefined;
    const apps = entry.getOptionalConfigArray('apps') ?? [];
    return Boolean(token) || apps.length > 0;
  });
}
