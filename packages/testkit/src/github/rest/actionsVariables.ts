/** Actions variables of a repository. */
import { GitHubHttpError, docs, found, notFound } from '../responses';
import { timestamp } from '../serialize';
import { listReply } from './pagination';
import { RepoRequest, Route, repoRoute } from './route';
import { assertActionsName, requireBody, requireStrings } from './validation';

/** A variable as GitHub lists it, with its value. */
function variableJson(
  name: string,
  variable: { value: string; createdAt: string; updatedAt: string },
) {
  return {
    name,
    value: variable.value,
    created_at: variable.createdAt,
    updated_at: variable.updatedAt,
  };
}

/** The variable `{name}` names (names are upper case), or 404. */
function variableOf(req: RepoRequest, doc: string) {
  const name = req.params.name.toUpperCase();
  return { name, variable: found(req.repo.variables.get(name), doc) };
}

/** The Actions variables endpoints, in matching order. @internal */
export const actionsVariableRoutes: Route[] = [
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/variables',
    docs: docs.listVariables,
    permission: 'variables=read',
    handler(req) {
      // GitHub lists at most 30 variables a page, 10 by default.
      if (!req.query.has('per_page')) req.query.set('per_page', '10');
      return listReply(
        req,
        [...req.repo.variables].map(([name, v]) => variableJson(name, v)),
        { key: 'variables', maxPerPage: 30 },
      );
    },
  }),
  repoRoute({
    method: 'POST',
    path: '/repos/{owner}/{repo}/actions/variables',
    docs: docs.variables,
    permission: 'variables=write',
    handler(req) {
      const repo = req.repo;
      const body = requireBody(req, docs.variables);
      requireStrings(body, ['name', 'value'], docs.variables);
      const name = body.name.toUpperCase();
      assertActionsName(name, 'Variable', docs.variables);
      if (repo.variables.has(name)) {
        throw new GitHubHttpError(
          409,
          'Already exists - Variable already exists',
          docs.variables,
        );
      }
      const stamp = timestamp();
      repo.variables.set(name, {
        value: body.value,
        createdAt: stamp,
        updatedAt: stamp,
      });
      return { status: 201, body: {} };
    },
  }),
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/variables/{name}',
    docs: docs.getVariable,
    permission: 'variables=read',
    handler(req) {
      const { name, variable } = variableOf(req, docs.getVariable);
      return { status: 200, body: variableJson(name, variable) };
    },
  }),
  repoRoute({
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/actions/variables/{name}',
    docs: docs.updateVariable,
    permission: 'variables=write',
    handler(req) {
      const { variable } = variableOf(req, docs.updateVariable);
      const body = requireBody(req, docs.updateVariable);
      if (typeof body.value === 'string') variable.value = body.value;
      variable.updatedAt = timestamp();
      return { status: 204 };
    },
  }),
  repoRoute({
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/actions/variables/{name}',
    docs: docs.updateVariable,
    permission: 'variables=write',
    handler(req) {
      if (!req.repo.variables.delete(req.params.name.toUpperCase())) {
        throw notFound(docs.updateVariable);
      }
      return { status: 204 };
    },
  }),
];
