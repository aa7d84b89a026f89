/** Actions variables of a repository. */
import { GitHubHttpError, docs, notFound, notSupplied } from '../responses';
import { timestamp } from '../serialize';
import { listReply } from './pagination';
import { Route } from './route';
import { assertActionsName, requireBody } from './validation';

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

/** The Actions variables endpoints, in matching order. @internal */
export const actionsVariableRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/variables',
    docs: docs.listVariables,
    scopes: ['repo'],
    permission: 'variables=read',
    repo: true,
    handler(req) {
      // GitHub lists at most 30 variables a page, 10 by default.
      if (!req.query.has('per_page')) req.query.set('per_page', '10');
      return listReply(
        req,
        [...req.repo!.variables].map(([name, v]) => variableJson(name, v)),
        { key: 'variables', maxPerPage: 30 },
      );
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/actions/variables',
    docs: docs.variables,
    scopes: ['repo'],
    permission: 'variables=write',
    repo: true,
    handler(req) {
      const repo = req.repo!;
      const body = requireBody(req, docs.variables);
      if (typeof body.name !== 'string')
        throw notSupplied('name', docs.variables);
      if (typeof body.value !== 'string') {
        throw notSupplied('value', docs.variables);
      }
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
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/variables/{name}',
    docs: docs.getVariable,
    scopes: ['repo'],
    permission: 'variables=read',
    repo: true,
    handler(req) {
      const name = req.params.name.toUpperCase();
      const variable = req.repo!.variables.get(name);
      if (!variable) throw notFound(docs.getVariable);
      return { status: 200, body: variableJson(name, variable) };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/actions/variables/{name}',
    docs: docs.updateVariable,
    scopes: ['repo'],
    permission: 'variables=write',
    repo: true,
    handler(req) {
      const name = req.params.name.toUpperCase();
      const variable = req.repo!.variables.get(name);
      if (!variable) throw notFound(docs.updateVariable);
      const body = requireBody(req, docs.updateVariable);
      if (typeof body.value === 'string') variable.value = body.value;
      variable.updatedAt = timestamp();
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/actions/variables/{name}',
    docs: docs.updateVariable,
    scopes: ['repo'],
    permission: 'variables=write',
    repo: true,
    handler(req) {
      if (!req.repo!.variables.delete(req.params.name.toUpperCase())) {
        throw notFound(docs.updateVariable);
      }
      return { status: 204 };
    },
  },
];
