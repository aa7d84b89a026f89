/** Request bodies and names, checked and refused in GitHub's words. */
import { GitHubHttpError, notSupplied, validationFailed } from '../responses';
import { RestRequest } from './route';

/** The JSON object a request sent; 400 as GitHub answers anything else. */
export function requireBody(
  req: RestRequest,
  doc: string,
): Record<string, any> {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw new GitHubHttpError(400, 'Problems parsing JSON', doc);
  }
  return req.body;
}

/** The first of `fields` that is not a string, refused as not supplied. */
export function requireStrings(
  body: Record<string, any>,
  fields: string[],
  doc: string,
) {
  for (const field of fields) {
    if (typeof body[field] !== 'string') throw notSupplied(field, doc);
  }
}

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Secret and variable names: GitHub's rule and its wording. */
export function assertActionsName(
  name: string,
  resource: 'Secret' | 'Variable',
  doc: string,
) {
  if (!SECRET_NAME.test(name) || name.startsWith('GITHUB_')) {
    throw validationFailed(doc, [
      {
        resource,
        field: 'name',
        code: 'invalid',
        message: `${resource} names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_), must start with a letter or underscore, and must not start with the GITHUB_ prefix.`,
      },
    ]);
  }
}
