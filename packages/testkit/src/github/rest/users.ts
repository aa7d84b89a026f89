/** Users and organisations: `/user`, `/users/{username}`, `/orgs/{org}`. */
import { docs, found, notAccessibleByIntegration } from '../responses';
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
      if (!req.identity.user) throw notAccessibleByIntegration(docs.user);
      return { status: 200, body: userJson(req.identity.user, req.urls) };
    },
  },
  {
    method: 'GET',
    path: '/users/{username}',
    docs: docs.users,
    scopes: [],
    handler(req) {
      const user = found(
        req.driver.users.get(req.params.username.toLowerCase()),
        docs.users,
      );
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
