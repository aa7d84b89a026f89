/** The OIDC discovery document and keys of the Actions token issuer. */
import http from 'node:http';
import { GitHubActionsTestDriver } from '../actions/GitHubActionsTestDriver';
import { send } from './send';

/** The paths the issuer serves, as `token.actions.githubusercontent.com` does. */
export const OIDC_PATHS = new Set([
  '/.well-known/openid-configuration',
  '/.well-known/jwks',
]);

/** Where a job asks for its ID token (`ACTIONS_ID_TOKEN_REQUEST_URL`). */
export const ID_TOKEN_PATH =
  /^\/_apis\/distributedtask\/jobs\/([^/]+)\/idtoken$/;

/** A job's ID token request: its request token, and the audience asked for (the owner's URL by default, as GitHub's). */
async function idToken(
  actions: GitHubActionsTestDriver,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
) {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const job = bearer ? actions.jobs.get(bearer[1]) : undefined;
  if (!job || job.id !== ID_TOKEN_PATH.exec(url.pathname)?.[1]) {
    send(res, 401, { message: 'Unauthorized' }, {});
    return;
  }
  const [owner] = job.request.repository.split('/');
  const audience =
    url.searchParams.get('audience') ?? `https://github.com/${owner}`;
  const value = await actions.issueToken({ ...job.request, audience });
  send(res, 200, { count: value.length, value }, {});
}

/** Answers a discovery, JWKS or ID token request (the first two without authentication, as GitHub's). @internal */
export async function handleOidc(
  actions: GitHubActionsTestDriver,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
) {
  if (ID_TOKEN_PATH.test(url.pathname)) {
    await idToken(actions, req, res, url);
    return;
  }
  const body =
    url.pathname === '/.well-known/jwks'
      ? await actions.oidc.jwks()
      : actions.oidc.discovery();
  send(res, 200, body, { 'cache-control': 'max-age=3600' });
}
