/** The OIDC discovery document and keys of the Actions token issuer. */
import http from 'node:http';
import { ActionsOidcIssuer } from '../actions/ActionsOidcIssuer';
import { send } from './send';

/** The paths the issuer serves, as `token.actions.githubusercontent.com` does. */
export const OIDC_PATHS = new Set([
  '/.well-known/openid-configuration',
  '/.well-known/jwks',
]);

/** Answers a discovery or JWKS request (no authentication, as GitHub's). @internal */
export async function handleOidc(
  issuer: ActionsOidcIssuer,
  res: http.ServerResponse,
  url: URL,
) {
  const body =
    url.pathname === '/.well-known/jwks'
      ? await issuer.jwks()
      : issuer.discovery();
  send(res, 200, body, { 'cache-control': 'max-age=3600' });
}
