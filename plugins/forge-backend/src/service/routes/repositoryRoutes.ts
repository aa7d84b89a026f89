import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ForgeRepositoryRef,
  forgeRepositoryDeletePermission,
} from '@paved/plugin-forge-node';
import { Router } from 'express';
import { z } from 'zod';
import { RouteContext, parseQuery, repoParam } from './RouteContext';

const deleteQuery = z.object({
  unregister: z
    .enum(['true', 'false'], {
      error: () => "unregister: expected 'true' or 'false'",
    })
    .optional(),
});

/**
 * The JSON API under `/-/repos` (the "-" owner cannot clash with a real
 * owner): list, get, and delete with the catalogue locations reading from
 * the repository.
 */
export function addRepositoryRoutes(router: Router, context: RouteContext) {
  const { forge, httpAuth, logger } = context;

  router.get('/-/repos', async (req, res) => {
    await context.checkRead(req);
    res.json({ items: await forge.listRepositories() });
  });

  router.get('/-/repos/:owner/:repo', async (req, res) => {
    await context.checkRead(req);
    res.json(await context.existing(repoParam(req)));
  });

  router.delete('/-/repos/:owner/:repo', async (req, res) => {
    const { unregister } = parseQuery(deleteQuery, req);
    const repo = repoParam(req);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorizeDelete(context, repo, credentials);
    // Locations first: if this fails the repository is still there to retry.
    const unregisteredLocations =
      unregister === 'false'
        ? []
        : await unregisterLocations(context, repo, credentials);
    const { existed } = await forge.deleteRepository(repo);
    const repository = `${repo.owner}/${repo.name}`;
    logger.info(
      `Deleted ${repository} from the local forge (existed: ${existed}, locations unregistered: ${unregisteredLocations.length})`,
      { repository, existed, unregistered: unregisteredLocations.length },
    );
    res.json({ existed, unregisteredLocations });
  });
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

/** Removes the catalogue's url locations below the repository's page. */
async function unregisterLocations(
  { forge, catalog }: RouteContext,
  repo: ForgeRepositoryRef,
  credentials: BackstageCredentials,
): Promise<string[]> {
  const removed: string[] = [];
  const prefix = `${forge.urls.repository(repo)}/`;
  const { items } = await catalog.getLocations({}, { credentials });
  for (const location of items) {
    if (location.type === 'url' && location.target.startsWith(prefix)) {
      await catalog.removeLocationById(location.id, { credentials });
      removed.push(location.target);
    }
  }
  return removed;
}
