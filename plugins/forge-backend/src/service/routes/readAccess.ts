import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { ForgeRepository } from '@paved/plugin-forge-node';
import { OwnershipService } from '@paved/plugin-ownership-node';

/**
 * Whether a caller may read a repository. `internal` repositories are read
 * as the forge allows any read (paved.forge.anonymousRead); a `private` one
 * only by a member of the group Paved recorded as its owner (directly or
 * through a child group), an admin, or a backend service. A private
 * repository without a recorded owner is the admins' (and services') only.
 */
export async function mayRead(
  ownership: OwnershipService,
  credentials: BackstageCredentials,
  repo: ForgeRepository,
): Promise<boolean> {
  if (repo.visibility !== 'private') return true;
  const caller = await ownership.caller(credentials);
  if (caller.type === 'service') return true;
  if (caller.type !== 'user') return false;
  return (
    caller.isAdmin ||
    Boolean(repo.ownerGroup && caller.groupRefs.includes(repo.ownerGroup))
  );
}

/** The refusal of a private repository's read, naming why. */
export function privateRepositoryError(
  who: string,
  repo: ForgeRepository,
): NotAllowedError {
  return new NotAllowedError(
    `${who} may not read ${repo.owner}/${
      repo.name
    }: it is a private repository of ${
      repo.ownerGroup ?? 'no recorded owner (admins only)'
    }, and only its members and admins read it`,
  );
}
