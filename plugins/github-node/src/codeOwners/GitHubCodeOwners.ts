import { ConflictError, InputError } from '@backstage/errors';
import {
  EnsureCodeOwnersOptions,
  EnsureCodeOwnersResult,
  GitHubCallOptions,
} from '../GitHubRepoService';
import { GitHubClient } from '../client/GitHubClient';
import { GitHubSession } from '../client/GitHubSession';
import { byMessage, hasStatus, requestFailureOf } from '../errors';
import { assertBranchName, assertRepositoryName } from '../names';

const PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];
const fileExists = byMessage(/"sha" wasn't supplied/);
const onlyThroughPullRequests = byMessage(/rule violations|pull request/i);

function checkCodeOwners(request: EnsureCodeOwnersOptions): string {
  assertRepositoryName(request.name);
  const filePath = request.path ?? PATHS[0];
  if (!PATHS.includes(filePath)) {
    throw new InputError(
      `path: "${filePath}" is not where GitHub reads code owners; expected .github/CODEOWNERS, CODEOWNERS or docs/CODEOWNERS`,
    );
  }
  if (request.branch !== undefined) assertBranchName(request.branch);
  if (!request.content.trim()) {
    throw new InputError('content: the CODEOWNERS file would be empty');
  }
  return filePath;
}

/** The CODEOWNERS file: added once, compared when present, never changed. */
export class GitHubCodeOwners {
  readonly #client: GitHubClient;

  constructor(options: { client: GitHubClient }) {
    this.#client = options.client;
  }

  async ensure(
    request: EnsureCodeOwnersOptions,
    options?: GitHubCallOptions,
  ): Promise<EnsureCodeOwnersResult> {
    const filePath = checkCodeOwners(request);
    const action = `adding ${filePath} to ${request.owner}/${request.name}`;
    const s = await this.#client.session(request, action, options);
    const content = Buffer.from(request.content, 'utf8');
    const added = await this.#add(s, request, filePath, content, action);
    if (added) return added;
    const current = await this.#read(s, filePath, request.branch);
    if (!current.equals(content)) {
      throw new ConflictError(
        `${s.full} already has a ${filePath} with other owners; Paved will not change it`,
      );
    }
    return { path: filePath, action: 'unchanged', commitSha: '' };
  }

  /** Adds the file; undefined when the branch has one already. */
  async #add(
    s: GitHubSession,
    request: EnsureCodeOwnersOptions,
    filePath: string,
    content: Buffer,
    action: string,
  ): Promise<EnsureCodeOwnersResult | undefined> {
    const { author } = this.#client.settings;
    try {
      const res = await this.#client.onRepo(
        s,
        () =>
          s.octokit.rest.repos.createOrUpdateFileContents({
            owner: s.repo.owner,
            repo: s.repo.name,
            path: filePath,
            message: request.message ?? 'Add CODEOWNERS',
            content: content.toString('base64'),
            ...(request.branch ? { branch: request.branch } : {}),
            committer: author,
            author,
          }),
        fileExists,
      );
      s.logger.info(`Added ${filePath} to ${s.full}`);
      return {
        path: filePath,
        action: 'created',
        commitSha: res.data.commit.sha ?? '',
      };
    } catch (error) {
      if (hasStatus(error, 409) && onlyThroughPullRequests(error)) {
        throw new ConflictError(
          `${action} failed: the branch only takes changes through pull requests (${requestFailureOf(
            error,
          )?.message.trim()}); add CODEOWNERS before protecting the branch`,
        );
      }
      if (!(hasStatus(error, 422) && fileExists(error))) {
        throw this.#client.fail(error, action, s);
      }
      return undefined;
    }
  }

  async #read(
    s: GitHubSession,
    filePath: string,
    branch: string | undefined,
  ): Promise<Buffer> {
    try {
      const res = await s.octokit.rest.repos.getContent({
        owner: s.repo.owner,
        repo: s.repo.name,
        path: filePath,
        ...(branch ? { ref: branch } : {}),
      });
      return Buffer.from((res.data as any).content ?? '', 'base64');
    } catch (error) {
      throw this.#client.fail(error, `reading ${filePath} of ${s.full}`, s);
    }
  }
}
