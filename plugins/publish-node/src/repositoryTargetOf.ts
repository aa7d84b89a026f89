import { InputError } from '@backstage/errors';

/**
 * The repository a RepoUrlPicker value (`host?owner=o&repo=r`) names.
 *
 * @public
 */
export interface RepositoryTarget {
  host: string;
  owner: string;
  name: string;
  /** `owner/name` */
  full: string;
  /** `host/owner/name`, lowercase: the object part of checkpoint keys. */
  key: string;
}

const EXAMPLE =
  'expected host?owner=<org>&repo=<name>, e.g. github.com?owner=kestrel&repo=shop';

/**
 * Reads a RepoUrlPicker value. Parsed here rather than with the
 * scaffolder's parseRepoUrl, which wants an integration for the host: a
 * local-forge repository has none, and must still be recognised.
 *
 * @public
 */
export function repositoryTargetOf(
  repoUrl: string,
  field = 'repoUrl',
): RepositoryTarget {
  let url: URL;
  try {
    url = new URL(`https://${repoUrl}`);
  } catch {
    throw new InputError(
      `${field}: "${repoUrl}" is not a repository location; ${EXAMPLE}`,
    );
  }
  const owner = url.searchParams.get('owner') ?? '';
  const name = url.searchParams.get('repo') ?? '';
  if (!owner || !name || url.pathname !== '/') {
    throw new InputError(
      `${field}: "${repoUrl}" names no ${owner ? 'repo' : 'owner'}; ${EXAMPLE}`,
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
