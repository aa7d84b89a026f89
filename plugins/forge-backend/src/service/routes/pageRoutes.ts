import { Request, Response, Router } from 'express';
import {
  blobPage,
  emptyRepositoryPage,
  repositoryListPage,
  treePage,
} from '../pages';
import { BROWSER, RouteContext, repoParam, wildcard } from './RouteContext';

/**
 * The HTML pages: the repository list, a repository, and its folders and
 * files at a ref.
 */
export function addPageRoutes(router: Router, context: RouteContext) {
  const { forge } = context;
  const urls = forge.urls;
  const render = (req: Request, res: Response, refAndPath: string) =>
    renderTree(context, req, res, refAndPath);

  router.get('/:owner/:repo/tree', (req, res) => render(req, res, ''));
  router.get('/:owner/:repo/tree/*', (req, res) =>
    render(req, res, wildcard(req)),
  );
  router.get('/:owner/:repo/blob/*', (req, res) =>
    render(req, res, wildcard(req)),
  );

  router.get('/:owner/:repo', async (req, res) => {
    if (req.params.repo.endsWith('.git')) {
      // A clone URL opened in a browser, as GitHub does.
      res.redirect(302, urls.repository(repoParam(req)));
      return;
    }
    await render(req, res, '');
  });

  router.get('/', async (req, res) => {
    await context.checkRead(req, undefined, BROWSER);
    res
      .type('html')
      .send(
        repositoryListPage(
          urls,
          await context.readable(req, await forge.listRepositories(), BROWSER),
        ),
      );
  });
}

/** A folder's page, or a file's when the path names a file. */
async function renderTree(
  context: RouteContext,
  req: Request,
  res: Response,
  refAndPath: string,
) {
  const { forge } = context;
  const urls = forge.urls;
  const repo = repoParam(req);
  await context.checkRead(req, repo, BROWSER);
  const found = await context.existing(repo);
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
    const file = await forge.readFile(repo, resolved.commitSha, resolved.path);
    res.type('html').send(blobPage(urls, found, resolved, file));
  }
}
