/** Users and organisations: `/user`, `/users/{username}`, `/orgs/{org}`. */
import { GitHubHttpError, docs, notFound } from '../responses';
import { orgJson, userJson } from '../serialize';
import { orgOf } from './guards';
import { Route } from './route';

/** The users and organisations endpoints, in matching order. @internal */
export const userRoutes: Route[] = [
  {
    method: 'GET',
    path: '/user',
    docs: docs.user,
    scopes: [],
    handler(req) {
      if (!req.identity.user) {
        throw new GitHubHttpError(
          403,
          'Resource not accessible by integration',
          docs.user,
        );
      }
      return { status: 200, body: userJson(req.identity.user, req.urls) };
    },
  },
  {
    method: 'GET',
    path: '/users/{username}',
    docs: docs.users,
    scopes: [],
    handler(req) {
      const user = req.driver.users.get(req.params.username.toLowerCase());
      if (!user) throw notFound(docs.users);
      return { status: 200, body: userJson(user, req.urls) };
    },
  },
  {
    method: 'GET',
    path: '/orgs/{org}',
    docs: docs.org,
    scopes: [],
    handler(req) {
      return {
        status: 200,
        body: orgJson(orgOf(req, req.params.org, docs.org), req.urls),
      };
    },
  },
];
