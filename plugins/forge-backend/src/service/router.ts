import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ForgeRepositoryRef,
  LocalForge,
  forgeRepositoryDeletePermission,
  normalizeForgeRepositoryRef,
} from '@paved/plugin-forge-node';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  advertiseRefs,
  errorPacket,
  parseUploadPackRequest,
  uploadPackResponse,
} from '@paved/plugin-git-node';
import {
  blobPage,
  emptyRepositoryPage,
  isText,
  repositoryListPage,
  treePage,
} from './pages';

/** Options of {@link createRouter}. */
export interface RouterOptions {
  forge: LocalForge;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  logger: LoggerService;
  /**
   * Whether callers without a token may read (pages, raw files, git clone).
   * Writing (DELETE) always needs a user or service token and the permission.
   */
  anonymousRead: boolean;
}

const infoRefsQuery = z.object({
  service: z.enum(['git-upload-pack', 'git-receive-pack'], {
    error: () =>
      "service: expected 'git-upload-pack'; the local forge speaks git's smart HTTP protocol only",
  }),
});

const deleteQuery = z.object({
  unregister: z
    .enum(['true', 'false'], {
      error: () => "unregister: expected 'true' or 'false'",
    })
    .optional(),
});

const NO_CACHE = {
  'Cache-Control': 'no-cache, max-age=0, must-revalidate',
  Pragma: 'no-cache',
  Expires: 'Fri, 01 Jan 1980 00:00:00 GMT',
};

const READ_ONLY =
  'The local forge is read-only over git: repositories are written by the paved:publish scaffolder action';

function parseQuery<T extends z.ZodTypeAny>(
  schema: T,
  req: Request,
): z.infer<T> {
  const result = schema.safeParse(req.query);
  if (!result.success) {
    throw new InputError(result.error.issues.map(i => i.message).join('; '));
  }
  return result.data;
}

/** What the route's `*` matched (express decodes it). */
function wildcard(req: Request): string {
  return (req.params as Record<string, string | undefined>)[0] ?? '';
}

/** The repository named by `:owner/:repo` (a trailing `.git` is the clone URL's). */
function repoParam(req: Request): ForgeRepositoryRef {
  return normalizeForgeRepositoryRef({
    owner: req.params.owner,
    name: req.params.repo.replace(/\.git$/, ''),
  });
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
 */
export function createRouter(options: RouterOptions): express.Router {
  const { forge, httpAuth, permissions, catalog, logger, anonymousRead } =
    options;
  const router = Router();
  const urls = forge.urls;

  const checkRead = async (req: Request) => {
    if (!anonymousRead) {
      await httpAuth.credentials(req, { allow: ['user', 'service'] });
    }
  };

  const existing = async (repo: ForgeRepositoryRef) => {
    const found = await forge.getRepository(repo);
    if (!found) {
      throw new NotFoundError(
        `Repository ${repo.owner}/${repo.name} does not exist on the local forge`,
      );
    }
    return found;
  };

  // --- JSON API (the "-" owner cannot clash with a real owner) ---

  router.get('/-/repos', async (req, res) => {
    await checkRead(req);
    res.json({ items: await forge.listRepositories() });
  });

  router.get('/-/repos/:owner/:repo', async (req, res) => {
    await checkRead(req);
    res.json(await existing(repoParam(req)));
  });

  router.delete('/-/repos/:owner/:repo', async (req, res) => {
    const { unregister } = parseQuery(deleteQuery, req);
    const repo = repoParam(req);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission: forgeRepositoryDeletePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not delete ${repo.owner}/${repo.name} from the local forge (permission ${forgeRepositoryDeletePermission.name})`,
      );
    }
    // Locations first: if this fails the repository is still there to retry.
    const unregisteredLocations: string[] = [];
    if (unregister !== 'false') {
      const prefix = `${urls.repository(repo)}/`;
      const { items } = await catalog.getLocations({}, { credentials });
      for (const location of items) {
        if (location.type === 'url' && location.target.startsWith(prefix)) {
          await catalog.removeLocationById(location.id, { credentials });
          unregisteredLocations.push(location.target);
        }
      }
    }
    const { existed } = await forge.deleteRepository(repo);
    logger.info(
      `Deleted ${repo.owner}/${repo.name} from the local forge (existed: ${existed}, locations unregistered: ${unregisteredLocations.length})`,
    );
    res.json({ existed, unregisteredLocations });
  });

  // --- git smart HTTP ---

  router.get('/:owner/:repo/info/refs', async (req, res) => {
    const repo = repoParam(req);
    const { service } = parseQuery(infoRefsQuery, req);
    if (service === 'git-receive-pack') throw new NotAllowedError(READ_ONLY);
    await checkRead(req);
    const refs = await forge.listRefs(repo);
    res
      .status(200)
      .set({
        ...NO_CACHE,
        'Content-Type': 'application/x-git-upload-pack-advertisement',
      })
      .send(advertiseRefs(refs));
  });

  router.post(
    '/:owner/:repo/git-upload-pack',
    // body-parser inflates the gzip git sends for large requests, and the
    // limit holds for what it inflates: about 20,000 have lines, far more
    // than the forge looks up (a gzip bomb gets 413).
    express.raw({ type: () => true, limit: '1mb' }),
    async (req, res) => {
      const repo = repoParam(req);
      if (
        req.headers['content-type'] !== 'application/x-git-upload-pack-request'
      ) {
        throw new InputError(
          'Content-Type: expected application/x-git-upload-pack-request',
        );
      }
      await checkRead(req);
      await existing(repo);
      res.status(200).set({
        ...NO_CACHE,
        'Content-Type': 'application/x-git-upload-pack-result',
      });
      let response: Buffer;
      try {
        const request = parseUploadPackRequest(
          Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        );
        const { common, pack } = await forge.packObjects(repo, {
          wants: request.wants,
          haves: request.haves,
          pack: request.done,
        });
        response = uploadPackResponse({ request, common, pack });
      } catch (error) {
        // git shows these as "remote error: <message>".
        if ((error as Error).name !== 'InputError') throw error;
        response = errorPacket((error as Error).message);
      }
      res.send(response);
    },
  );

  router.post('/:owner/:repo/git-receive-pack', async () => {
    throw new NotAllowedError(READ_ONLY);
  });

  // --- content ---

  router.get('/:owner/:repo/raw/*', async (req, res) => {
    const repo = repoParam(req);
    await checkRead(req);
    const resolved = await forge.resolvePath(repo, wildcard(req));
    const file = await forge.readFile(repo, resolved.commitSha, resolved.path);
    res.set({
      ETag: `"${file.oid}"`,
      'Cache-Control': 'no-cache',
      // Served from the portal's own origin: never let a browser run it.
      'Content-Type': isText(file.content)
        ? 'text/plain; charset=utf-8'
        : 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.send(file.content);
  });

  const renderTree = async (
    req: Request,
    res: express.Response,
    refAndPath: string,
  ) => {
    const repo = repoParam(req);
    await checkRead(req);
    const found = await existing(repo);
    if (found.empty && !refAndPath) {
      res.type('html').send(emptyRepositoryPage(urls, found));
      return;
    }
    const resolved = await forge.resolvePath(repo, refAndPath);
    try {
      const directory = await forge.readDirectory(
        repo,
        resolved.commitSha,
        resolved.path,
      );
      res.type('html').send(treePage(urls, found, resolved, directory));
    } catch (error) {
      if ((error as Error).name !== 'NotFoundError') throw error;
      const file = await forge.readFile(
        repo,
        resolved.commitSha,
        resolved.path,
      );
      res.type('html').send(blobPage(urls, found, resolved, file));
    }
  };

  router.get('/:owner/:repo/tree', (req, res) => renderTree(req, res, ''));
  router.get('/:owner/:repo/tree/*', (req, res) =>
    renderTree(req, res, wildcard(req)),
  );
  router.get('/:owner/:repo/blob/*', (req, res) =>
    renderTree(req, res, wildcard(req)),
  );

  router.get('/:owner/:repo', async (req, res) => {
    if (req.params.repo.endsWith('.git')) {
      // A clone URL opened in a browser, as GitHub does.
      res.redirect(302, urls.repository(repoParam(req)));
      return;
    }
    await renderTree(req, res, '');
  });

  router.get('/', async (req, res) => {
    await checkRead(req);
    res
      .type('html')
      .send(repositoryListPage(urls, await forge.listRepositories()));
  });

  return router;
}
