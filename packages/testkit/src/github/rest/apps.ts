/**
 * GitHub Apps: the app and its installations (with the app's JWT), installation
 * tokens, and the repositories an installation reaches.
 */
import crypto from 'node:crypto';
import { GitHubHttpError, docs, found } from '../responses';
import { appSlug, orgOwnerJson, timestamp, userJson } from '../serialize';
import { DEFAULT_INSTALLATION_PERMISSIONS } from '../state';
import { listReply, paginate } from './pagination';
import { repoBody } from './repoBody';
import { RestRequest, Route } from './route';

/** The app whose JWT signed the request. */
function appOf(req: RestRequest) {
  return req.driver.apps.get(req.identity.appId!)!.app;
}

/** The GitHub Apps endpoints, in matching order. @internal */
export const appRoutes: Route[] = [
  {
    method: 'GET',
    path: '/app',
    docs: docs.app,
    scopes: [],
    auth: 'jwt',
    handler(req) {
      const app = appOf(req);
      return {
        status: 200,
        body: {
          id: app.appId,
          slug: appSlug(app),
          name: appSlug(app),
          permissions: {},
          events: [],
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/app/installations',
    docs: docs.installations,
    scopes: [],
    auth: 'jwt',
    handler(req) {
      const app = appOf(req);
      const all = app.installations.map(inst => {
        const org = req.driver.orgs.get(inst.account.toLowerCase());
        return {
          id: inst.id,
          account: org
            ? orgOwnerJson(org, req.urls)
            : userJson(req.driver.addUser(inst.account), req.urls),
          app_id: app.appId,
          app_slug: appSlug(app),
          target_type: org ? 'Organization' : 'User',
          permissions: inst.permissions ?? {},
          repository_selection: inst.repositorySelection ?? 'all',
          access_tokens_url: `${req.urls.api}/app/installations/${inst.id}/access_tokens`,
          suspended_by: null,
          suspended_at: null,
        };
      });
      return listReply(req, all);
    },
  },
  {
    method: 'POST',
    path: '/app/installations/{installation_id}/access_tokens',
    docs: docs.installationToken,
    scopes: [],
    auth: 'jwt',
    handler(req) {
      const app = appOf(req);
      const inst = found(
        app.installations.find(
          i => i.id === Number(req.params.installation_id),
        ),
        docs.installationToken,
      );
      const token = `ghs_${crypto.randomBytes(18).toString('base64url')}`;
      const expiresAt = Date.now() + 3600_000;
      const permissions = {
        ...(inst.permissions ?? DEFAULT_INSTALLATION_PERMISSIONS),
      };
      req.driver.installationTokens.set(token, {
        installationId: inst.id,
        appId: app.appId,
        account: inst.account,
        permissions,
        repositorySelection: inst.repositorySelection ?? 'all',
        repositories: inst.repositories,
        expiresAt,
      });
      return {
        status: 201,
        body: {
          token,
          expires_at: timestamp(expiresAt),
          permissions,
          repository_selection: inst.repositorySelection ?? 'all',
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/installation/repositories',
    docs: docs.installationRepos,
    scopes: [],
    async handler(req) {
      const inst = req.identity.installation;
      if (!inst) {
        throw new GitHubHttpError(
          403,
          'You must authenticate with an installation access token in order to list repositories for an installation.',
          docs.installationRepos,
        );
      }
      const repos = [...req.driver.repos.values()].filter(
        r =>
          r.owner.toLowerCase() === inst.account.toLowerCase() &&
          (inst.repositorySelection === 'all' ||
            (inst.repositories ?? []).includes(r.name)),
      );
      const bodies = await Promise.all(repos.map(r => repoBody(req, r)));
      const { slice, headers } = paginate(req, bodies);
      return {
        status: 200,
        body: {
          total_count: bodies.length,
          repository_selection: inst.repositorySelection,
          repositories: slice,
        },
        headers,
      };
    },
  },
];
