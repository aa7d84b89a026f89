import { ConflictError, InputError } from '@backstage/errors';
import {
  GitHubCallOptions,
  SetActionsVariablesOptions,
  SetActionsVariablesResult,
} from '../GitHubRepoService';
import { GitHubClient } from '../client/GitHubClient';
import { GitHubSession } from '../client/GitHubSession';
import { hasStatus } from '../errors';
import { assertActionsName, assertRepositoryName } from '../names';

const variableExists = (error: unknown) => hasStatus(error, 409);

/** Actions variables of a repository: created, or compared when present. */
export class GitHubActionsVariables {
  readonly #client: GitHubClient;

  constructor(options: { client: GitHubClient }) {
    this.#client = options.client;
  }

  async set(
    request: SetActionsVariablesOptions,
    options?: GitHubCallOptions,
  ): Promise<SetActionsVariablesResult> {
    const { owner, name } = request;
    assertRepositoryName(name);
    const entries = Object.entries(request.variables);
    for (const [variable, value] of entries) {
      assertActionsName(variable, `variables.${variable}`, 'variable');
      if (typeof value !== 'string') {
        throw new InputError(`variables.${variable}: expected a string value`);
      }
    }
    if (entries.length === 0) return { created: [], unchanged: [] };
    const s = await this.#client.session(
      request,
      `setting Actions variables of ${owner}/${name}`,
      options,
    );
    const created: string[] = [];
    const unchanged: string[] = [];
    for (const [variable, value] of entries) {
      const made = await this.#createOrCompare(s, variable, value);
      (made ? created : unchanged).push(variable);
    }
    return { created, unchanged };
  }

  /** True when created; false when it holds the value already. */
  async #createOrCompare(
    s: GitHubSession,
    variable: string,
    value: string,
  ): Promise<boolean> {
    const action = `setting Actions variable ${variable} of ${s.full}`;
    const at = { owner: s.repo.owner, repo: s.repo.name, name: variable };
    try {
      await this.#client.onRepo(
        s,
        () => s.octokit.rest.actions.createRepoVariable({ ...at, value }),
        variableExists,
      );
      return true;
    } catch (error) {
      if (!variableExists(error)) throw this.#client.fail(error, action, s);
    }
    let current: string;
    try {
      current = (await s.octokit.rest.actions.getRepoVariable(at)).data.value;
    } catch (error) {
      throw this.#client.fail(error, action, s);
    }
    if (current !== value) {
      throw new ConflictError(
        `${s.full} already has Actions variable ${variable} with another value; Paved will not change it`,
      );
    }
    return false;
  }
}
