import { InputError, NotAllowedError } from '@backstage/errors';
import {
  advertiseRefs,
  errorPacket,
  parseUploadPackRequest,
  uploadPackResponse,
} from '@paved/plugin-git-node';
import express, { Request, Router } from 'express';
import { z } from 'zod';
import { BROWSER, RouteContext, parseQuery, repoParam } from './RouteContext';

const infoRefsQuery = z.object({
  service: z.enum(['git-upload-pack', 'git-receive-pack'], {
    error: () =>
      "service: expected 'git-upload-pack'; the local forge speaks git's smart HTTP protocol only",
  }),
});

const NO_CACHE = {
  'Cache-Control': 'no-cache, max-age=0, must-revalidate',
  Pragma: 'no-cache',
  Expires: 'Fri, 01 Jan 1980 00:00:00 GMT',
};

const READ_ONLY =
  'The local forge is read-only over git: repositories are written by the paved:publish scaffolder action';

/**
 * git clone and fetch over smart HTTP (read-only): reference discovery and
 * upload-pack; receive-pack is refused.
 */
export function addGitRoutes(router: Router, context: RouteContext) {
  const { forge } = context;

  router.get('/:owner/:repo/info/refs', async (req, res) => {
    const repo = repoParam(req);
    const { service } = parseQuery(infoRefsQuery, req);
    if (service === 'git-receive-pack') throw new NotAllowedError(READ_ONLY);
    await context.checkRead(req, repo, BROWSER);
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
      await context.checkRead(req, repo, BROWSER);
      await context.existing(repo);
      res.status(200).set({
        ...NO_CACHE,
        'Content-Type': 'application/x-git-upload-pack-result',
      });
      res.send(await uploadPack(context, req));
    },
  );

  router.post('/:owner/:repo/git-receive-pack', async () => {
    throw new NotAllowedError(READ_ONLY);
  });
}

/** The upload-pack answer, or the request's fault as a git error packet. */
async function uploadPack(
  { forge }: RouteContext,
  req: Request,
): Promise<Buffer> {
  try {
    const request = parseUploadPackRequest(
      Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    );
    const { common, pack } = await forge.packObjects(repoParam(req), {
      wants: request.wants,
      haves: request.haves,
      pack: request.done,
    });
    return uploadPackResponse({ request, common, pack });
  } catch (error) {
    // git shows these as "remote error: <message>".
    if ((error as Error).name !== 'InputError') throw error;
    return errorPacket((error as Error).message);
  }
}
