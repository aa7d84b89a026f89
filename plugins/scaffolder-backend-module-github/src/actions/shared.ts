import { RootConfigService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import { hasGitHubCredentials } from '@paved/plugin-github-node';

/** The repository a `repoUrl` (`host?owner=o&repo=r`) names. */
export interface RepoTarget {
  host: string;
  owner: string;
  name: string;
  /** `owner/name` */
  full: string;
  /** `host/owner/name`, lowercase: the object part of checkpoint keys. */
  key: string;
}

/**
 * Reads a RepoUrlPicker value. Parsed here rather than with the
 * scaffolder's parseRepoUrl, which wants an integration for the host: a
 * local-forge repository has none, and must still be recognised to skip.
 */
export function repoTargetOf(repoUrl: string, field = 'repoUrl'): RepoTarget {
  let url: URL;
  try {
    url = new URL(`https://${repoUrl}`);
  } catch {
    throw new InputError(
      `${field}: "${repoUrl}" is not a repository location; expected host?owner=<org>&repo=<name>, e.g. github.com?owner=kestrel&repo=shop`,
    );
  }
  const owner = url.searchParams.get('owner') ?? '';
  const name = url.searchParams.get('repo') ?? '';
  if (!owner || !name || url.pathname !== '/') {
    throw new InputError(
      `${field}: "${repoUrl}" names no ${
        owner ? 'repo' : 'owner'
      }; expected host?owner=<org>&repo=<name>, e.g. github.com?owner=kestrel&repo=shop`,
    );
  }
  return {
    host: url.host,
    owner,
    name,
    full: `${owner}/${name}`,
    key: `${url.host}/${owner}/${name}`.toLowerCase(),
  };
}

/**
 * True (after logging the one line the forge contract asks for) when the
 * repository lives on the local forge, i.e. no GitHub credentials are
 * configured for its host.
 */
export function livesOnLocalForge(
  config: RootConfigService,
  target: RepoTarget,
  logger: LoggerService,
  what: string,
): boolean {
  if (hasGitHubCredentials(config, target.host)) return false;
  logger.info(`${target.full} lives on the local forge: ${what} skipped`);
  return true;
}

/**
 * The GitHub team slug of a catalogue owner: `group:default/storefront`
 * (or `storefront`) is the team `storefront`, as GitHub discovery names
 * groups after teams.
 */
export function teamSlugOf(owner: string, field = 'owner'): string {
  const m = /^(?:(group|user):)?(?:[^:/]+\/)?([^:/]+)$/i.exec(
    owner?.trim() ?? '',
  );
  if (!m || (m[1] ?? 'group').toLowerCase() !== 'group') {
    throw new InputError(
      `${field}: "${owner}" is not a group; a team role can only be granted to a group entity such as group:default/storefront`,
    );
  }
  return m[2];
}
