import { Router } from 'express';
import { isText } from '../pages';
import { BROWSER, RouteContext, repoParam, wildcard } from './RouteContext';

/** A file's bytes at `/:owner/:repo/raw/<ref>/<path>`, inert in a browser. */
export function addRawRoutes(router: Router, context: RouteContext) {
  const { forge } = context;

  router.get('/:owner/:repo/raw/*', async (req, res) => {
    const repo = repoParam(req);
    await context.checkRead(req, repo, BROWSER);
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
}
