import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ForgeRepository,
  ForgeRepositoryRef,
  forgeRepositoryDeletePermission,
} from '@paved/plugin-forge-node';
import { auditChange } from '@paved/plugin-ownership-node';
import { RouteContext } from './RouteContext';

/** What a DELETE of a repository asks for. */
export interface DeleteRequest {
  repo: ForgeRepositoryRef;
  credentials: BackstageCredentials;
  /** Whether to unregister the catalogue locations reading from it. */
  unregister: boolean;
}

/**
 * Deletes a repository of the forge for a caller who holds
 * `forge.repository.delete` and may delete what the repository's recorded
 * owner owns (`paved.target.delete`: its members and admins; a repository
 * without a recorded owner is the admins' only). The catalogue locations
 * reading from it go first, so a failure leaves the repository to retry.
 * Audited as `repository-delete`, a refusal included.
 */
export async function deleteRepository(
  context: RouteContext,
  request: DeleteRequest,
): Promise<{ existed: boolean; unregisteredLocations: string[] }> {
  const { forge, logger, auditor } = context;
  const { repo, credentials } = request;
  const repository = `${repo.owner}/${repo.name}`;
  const target = `repository ${new URL(forge.urls.baseUrl).host}/${repository}`;
  return auditChange(
    auditor,
    {
      eventId: 'repository-delete',
      actor: await actorOf(context, credentials),
      target,
      severityLevel: 'high',
      details: { forge: 'local' },
    },
    async () => {
      await authorizeDelete(context, repo, credentials);
      const found = await forge.getRepository(repo);
      // Nothing there: nothing to delete, nor to unregister for it.
      if (!found) return { existed: false, unregisteredLocations: [] };
      await authorizeOwner(context, found, credentials, target);
      // The caller may delete the repository, but the catalogue lets only
      // admins unregister locations (catalog.location.delete): the forge
      // unregisters its repository's own locations as itself.
      const unregisteredLocations = request.unregister
        ? await unregisterLocations(
            context,
            repo,
            await context.auth.getOwnServiceCredentials(),
          )
        : [];
      const { existed } = await forge.deleteRepository(repo);
      logger.info(
        `Deleted ${repository} from the local forge (existed: ${existed}, locations unregistered: ${unregisteredLocations.length})`,
        { repository, existed, unregistered: unregisteredLocations.length },
      );
      return { existed, unregisteredLocations };
    },
  );
}

async function actorOf(
  { ownership }: RouteContext,
  credentials: BackstageCredentials,
): Promise<string | undefined> {
  const caller = await ownership.caller(credentials);
  if (caller.type === 'user') return caller.userEntityRef;
  return caller.type === 'service' ? caller.subject : undefined;
}

async function authorizeDelete(
  { permissions }: RouteContext,
  repo: ForgeRepositoryRef,
  credentials: BackstageCredentials,
) {
  const [decision] = await permissions.authorize(
    [{ permission: forgeRepositoryDeletePermission }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `You may not delete ${repo.owner}/${repo.name} from the local forge (permission ${forgeRepositoryDeletePermission.name})`,
    );
  }
}

/** The recorded owner's members and admins only; admins only when none is recorded. */
async function authorizeOwner(
  { ownership }: RouteContext,
  repo: ForgeRepository,
  credentials: BackstageCredentials,
  target: string,
) {
  if (repo.ownerGroup) {
    await ownership.assertMayChange({
      credentials,
      ownerRef: repo.ownerGroup,
      target,
      action: 'delete',
      destructive: true,
    });
    return;
  }
  const caller = await ownership.caller(credentials);
  if (!caller.isAdmin) {
    throw new NotAllowedError(
      `You may not delete ${repo.owner}/${repo.name} from the local forge: it has no recorded owner (Paved did not create it), so only admins may delete it`,
    );
  }
}

/**
 * Removes the catalogue's url locations below the repository's page, with
 * the forge's own credentials once the caller's delete was allowed,
 * whatever the letter case of their URL (the forge's owner and name are
 * lowercase, a location registered by hand may not be).
 */
async function unregisterLocations(
  { forge, catalog }: RouteContext,
  repo: ForgeRepositoryRef,
  credentials: BackstageCredentials,
): Promise<string[]> {
  const removed: string[] = [];
  const prefix = `${forge.urls.repository(repo)}/`.toLowerCase();
  const { items } = await catalog.getLocations({}, { credentials });
  for (const location of items) {
    if (
      location.type === 'url' &&
      location.target.toLowerCase().startsWith(prefix)
    ) {
      await catalog.removeLocationById(location.id, { credentials });
      removed.push(location.target);
    }
  }
  return removed;
}
