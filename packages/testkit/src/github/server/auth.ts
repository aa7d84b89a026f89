/**
 * Who a request is: the credential of its `Authorization` header (a classic
 * token, an installation token or an app's JWT), and what it may do.
 */
import { GitHubTestDriver } from '../GitHubTestDriver';
import { verifyAppJwt } from '../appJwt';
import { GitHubHttpError, docs } from '../responses';
import { Identity } from '../rest';
import { appSlug } from '../serialize';

const IMPLIED_SCOPES: Record<string, string[]> = {
  repo: ['repo', 'public_repo', 'repo:status', 'repo_deployment'],
  'admin:org': ['admin:org', 'write:org', 'read:org'],
  'write:org': ['write:org', 'read:org'],
};

/** Whether classic token scopes grant any of `accepted`. */
export function hasScope(scopes: string[], accepted: string[]): boolean {
  const granted = new Set(scopes.flatMap(s => IMPLIED_SCOPES[s] ?? [s]));
  return accepted.some(s => granted.has(s));
}

/** Whether an installation's permissions grant `name=level`. */
export function hasPermission(
  granted: Record<string, 'read' | 'write'>,
  needed: string,
): boolean {
  const [name, level] = needed.split('=');
  if (name === 'metadata') return true;
  const have = granted[name];
  return have === 'write' || (have === 'read' && level === 'read');
}

/** The credential of a `token`, `bearer` or `basic` Authorization header. */
export function credentialFrom(
  header: string | undefined,
): { scheme: 'token' | 'basic'; value: string } | undefined {
  if (!header) return undefined;
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const value = rest.join(' ');
  if (/^(token|bearer)$/i.test(scheme)) return { scheme: 'token', value };
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return {
      scheme: 'basic',
      value: colon >= 0 ? decoded.slice(colon + 1) : decoded,
    };
  }
  return undefined;
}

/** Who a credential is, or the 401 GitHub answers for it. */
export function identify(
  driver: GitHubTestDriver,
  value: string,
): Identity | GitHubHttpError {
  if (value.split('.').length === 3 && !value.startsWith('gh')) {
    const keys = new Map(
      [...driver.apps].map(([id, a]) => [id, a.publicKey] as const),
    );
    const appId = verifyAppJwt(value, keys);
    if (!appId) {
      return new GitHubHttpError(
        401,
        'A JSON web token could not be decoded',
        docs.root,
      );
    }
    return { kind: 'app', key: `app:${appId}`, id: Number(appId), appId };
  }
  const installation = driver.installationTokens.get(value);
  if (installation) {
    if (installation.expiresAt < Date.now()) {
      return new GitHubHttpError(401, 'Bad credentials', docs.root);
    }
    const app = driver.apps.get(String(installation.appId))?.app;
    return {
      kind: 'installation',
      key: `installation:${installation.installationId}`,
      id: installation.installationId,
      login: `${appSlug(app ?? { appId: installation.appId })}[bot]`,
      installation,
    };
  }
  const classic = driver.tokens.get(value);
  if (classic) {
    const user = driver.addUser(classic.login);
    return {
      kind: 'token',
      key: value,
      id: user.id,
      login: classic.login,
      user,
      scopes: classic.scopes,
    };
  }
  return new GitHubHttpError(401, 'Bad credentials', docs.root);
}
