/** A repository's collaborators and their permissions. */
import { docs, found, notFound } from '../responses';
import { permissionsFor, roleName, userJson } from '../serialize';
import { listReply } from './pagination';
import { Route, repoRoute } from './route';

/** The collaborators endpoints, in matching order. @internal */
export const collaboratorRoutes: Route[] = [
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators',
    docs: docs.listCollaborators,
    permission: 'metadata=read',
    handler(req) {
      const users = [...req.repo.collaborators].map(([login, permission]) => ({
        ...userJson(req.driver.addUser(login), req.urls),
        permissions: permissionsFor(permission),
        role_name: roleName(permission),
      }));
      return listReply(req, users);
    },
  }),
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators/{username}/permission',
    docs: docs.collaboratorPermission,
    permission: 'metadata=read',
    handler(req) {
      const user = found(
        req.driver.users.get(req.params.username.toLowerCase()),
        docs.collaboratorPermission,
      );
      const permission = req.repo.collaborators.get(user.login);
      // The legacy `permission` field knows only admin, write, read, none.
      const legacy: Record<string, string> = {
        admin: 'admin',
        maintain: 'write',
        push: 'write',
        triage: 'read',
        pull: 'read',
      };
      const simple = permission ? legacy[permission] ?? permission : 'none';
      return {
        status: 200,
        body: {
          permission: simple,
          role_name: permission ? roleName(permission) : 'none',
          user: userJson(user, req.urls),
        },
      };
    },
  }),
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators/{username}',
    docs: docs.listCollaborators,
    permission: 'metadata=read',
    handler(req) {
      const isCollaborator = [...req.repo.collaborators.keys()].some(
        l => l.toLowerCase() === req.params.username.toLowerCase(),
      );
      if (!isCollaborator) throw notFound(docs.listCollaborators);
      return { status: 204 };
    },
  }),
  repoRoute({
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/collaborators/{username}',
    docs: docs.collaborators,
    permission: 'administration=write',
    handler(req) {
      for (const login of [...req.repo.collaborators.keys()]) {
        if (login.toLowerCase() === req.params.username.toLowerCase()) {
          req.repo.collaborators.delete(login);
        }
      }
      return { status: 204 };
    },
  }),
];
