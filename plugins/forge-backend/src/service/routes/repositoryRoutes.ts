import { Router } from 'express';
import { z } from 'zod';
import { deleteRepository } from './deleteRepository';
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
  const { forge, httpAuth } = context;

  router.get('/-/repos', async (req, res) => {
    await context.checkRead(req);
    res.json({
      items: await context.readable(req, await forge.listRepositories()),
    });
  });

  router.get('/-/repos/:owner/:repo', async (req, res) => {
    const repo = repoParam(req);
    await context.checkRead(req, repo);
    res.json(await context.existing(repo));
  });

  router.delete('/-/repos/:owner/:repo', async (req, res) => {
    const { unregister } = parseQuery(deleteQuery, req);
    const repo = repoParam(req);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await deleteRepository(context, {
        repo,
        credentials,
        unregister: unregister !== 'false',
      }),
    );
  });
}
