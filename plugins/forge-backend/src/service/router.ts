import express from 'express';
import Router from 'express-promise-router';
import { addGitRoutes } from './routes/gitRoutes';
import { addPageRoutes } from './routes/pageRoutes';
import { addRawRoutes } from './routes/rawRoutes';
import { addRepositoryRoutes } from './routes/repositoryRoutes';
import { RouteServices, createRouteContext } from './routes/RouteContext';

/** Options of {@link createRouter}. */
export interface RouterOptions extends RouteServices {
  /**
   * Whether callers without a token may read (pages, raw files, git clone).
   * Writing (DELETE) always needs a user or service token and the permission.
   */
  anonymousRead: boolean;
}

/**
 * The forge's HTTP API, mounted at /api/forge:
 *
 * - `GET /` and `GET /:owner/:repo[/tree|/blob/<ref>/<path>]`: pages;
 * - `GET /:owner/:repo/raw/<ref>/<path>`: a file's bytes;
 * - `GET /:owner/:repo.git/info/refs?service=git-upload-pack` and
 *   `POST /:owner/:repo.git/git-upload-pack`: git clone and fetch (smart
 *   HTTP, read-only);
 * - `GET /-/repos[/:owner/:repo]`: JSON;
 * - `DELETE /-/repos/:owner/:repo`: deletes a repository and unregisters the
 *   catalogue locations that read from it (permission
 *   `forge.repository.delete`).
 *
 * Route groups are added in this order because `/:owner/:repo` would also
 * match `/-/repos` and the git routes.
 */
export function createRouter(options: RouterOptions): express.Router {
  const router = Router();
  const context = createRouteContext(options);
  addRepositoryRoutes(router, context);
  addGitRoutes(router, context);
  addRawRoutes(router, context);
  addPageRoutes(router, context);
  return router;
}
