import { isDeepStrictEqual } from 'node:util';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  CreateRepositoryOptions,
  CreateRepositoryResult,
  RecordedOwnership,
} from '@paved/plugin-publish-node';
import {
  ArchiveRepositoryResult,
  DeleteRepositoryOptions,
  DeleteRepositoryResult,
  GitHubCallOptions,
  GitHubRepoRef,
} from '../GitHubRepoService';
import { GitHubClient } from '../client/GitHubClient';
import { GitHubSession } from '../client/GitHubSession';
import { byMessage, hasStatus } from '../errors';
import { listRemoteBranches } from '../gitOps';
import { assertBranchName, assertRepositoryName, assertTopics } from '../names';
import {
  isMarkerTopic,
  markerTopicsOf,
  ownerGroupOfTopics,
} from './pavedMarker';
import { workOfOthers } from './workOfOthers';

const repoNameTaken = byMessage(/name already exists on this account/i);

/** A repository as GitHub describes it (the fields read here). */
type RepoData = any;

interface Made {
  data: RepoData;
  created: boolean;
  /** Adopted with branches: possibly someone else's, so left as it is. */
  adoptedWithContent: boolean;
}

function checkCreate(request: CreateRepositoryOptions) {
  assertRepositoryName(request.name);
  const visibility = request.visibility ?? 'private';
  if (!['private', 'internal'].includes(visibility)) {
    throw new InputError(
      `visibility: "${visibility}" is not allowed; expected private or internal`,
    );
  }
  const defaultBranch = request.defaultBranch ?? 'main';
  assertBranchName(defaultBranch, 'defaultBranch');
  const topics = request.topics ?? [];
  const reserved = topics.filter(isMarkerTopic);
  if (reserved.length > 0) {
    throw new InputError(
      `topics: "${reserved[0]}" is reserved for the marker Paved records on the repositories it creates`,
    );
  }
  const marker = request.ownerGroup
    ? markerTopicsOf(request.ownerGroup)
    : undefined;
  assertTopics([...topics, ...(marker ?? [])]);
  return { visibility, defaultBranch, topics, marker };
}

/**
 * A repository's life: created (or adopted when an earlier attempt or
 * someone else made it), archived, deleted.
 */
export class GitHubRepositories {
  readonly #client: GitHubClient;

  constructor(options: { client: GitHubClient }) {
    this.#client = options.client;
  }

  async create(
    request: CreateRepositoryOptions,
    options?: GitHubCallOptions,
  ): Promise<CreateRepositoryResult> {
    const { owner, name } = request;
    const { defaultBranch, topics, marker } = checkCreate(request);
    const action = `creating repository ${owner}/${name}`;
    const s = await this.#client.session(request, action, options);
    const { data, created, adoptedWithContent } = await this.#createOrAdopt(
      s,
      request,
      action,
    );
    const current: string[] = created ? [] : data.topics ?? [];
    const recorded = ownerGroupOfTopics(current);
    const wanted = marker ? ownerGroupOfTopics(marker) : undefined;
    if (recorded && wanted && recorded !== wanted) {
      throw new ConflictError(
        `${s.full} is recorded as owned by ${recorded}; Paved will not record ${wanted} as its owner`,
      );
    }
    if (!adoptedWithContent && (topics.length > 0 || marker)) {
      // Adopting keeps the marker a crashed run recorded, or records it.
      const keep = marker ?? current.filter(isMarkerTopic);
      await this.#ensureTopics(s, [...topics, ...keep], current);
    }
    return {
      created,
      adopted: !created,
      owner: data.owner?.login ?? owner,
      name: data.name ?? name,
      htmlUrl: data.html_url,
      cloneUrl: data.clone_url ?? s.remote.url,
      defaultBranch: created
        ? defaultBranch
        : data.default_branch ?? defaultBranch,
    };
  }

  /** The marker Paved recorded on the repository, read with one GET. */
  async recordedOwner(
    request: GitHubRepoRef,
    options?: GitHubCallOptions,
  ): Promise<RecordedOwnership> {
    const { owner, name } = request;
    assertRepositoryName(name);
    const action = `reading the owner Paved recorded for ${owner}/${name}`;
    const s = await this.#client.session(request, action, options);
    let data: RepoData;
    try {
      data = (await s.octokit.rest.repos.get({ owner, repo: name })).data;
    } catch (error) {
      this.#client.throwIfScopeMissing(error, action, s);
      if (!hasStatus(error, 404)) throw this.#client.fail(error, action, s);
      return { exists: false, managed: false };
    }
    const ownerGroup = ownerGroupOfTopics(data.topics ?? []);
    if (ownerGroup) return { exists: true, managed: true, ownerGroup };
    const { branches } = await this.#client.gitOnRepo(
      s,
      `reading the branches of ${s.full}`,
      () => listRemoteBranches(s.remote),
    );
    return { exists: true, managed: false, empty: branches.size === 0 };
  }

  async archive(
    request: GitHubRepoRef,
    options?: GitHubCallOptions,
  ): Promise<ArchiveRepositoryResult> {
    const { s, action, data } = await this.#toUndo(
      request,
      'archiving',
      options,
    );
    if (!data) return { action: 'not-found' };
    if (data.archived) return { action: 'unchanged' };
    try {
      await s.octokit.rest.repos.update({
        owner: request.owner,
        repo: request.name,
        archived: true,
      });
    } catch (error) {
      throw this.#client.fail(error, action, s);
    }
    s.logger.info(`Archived ${s.full}`);
    return { action: 'archived' };
  }

  async delete(
    request: DeleteRepositoryOptions,
    options?: GitHubCallOptions,
  ): Promise<DeleteRepositoryResult> {
    const { s, action, data } = await this.#toUndo(
      request,
      'deleting',
      options,
    );
    if (!data) return { action: 'not-found' };
    if (!request.force) {
      const work = await workOfOthers(this.#client, s, data, action);
      if (work.length > 0) {
        throw new ConflictError(
          `${action} refused: ${
            s.full
          } holds more than Paved put there (${work.join(
            '; ',
          )}), which deleting it would lose; archive it instead, or delete it with force`,
        );
      }
    }
    try {
      await s.octokit.rest.repos.delete({
        owner: request.owner,
        repo: request.name,
      });
    } catch (error) {
      if (hasStatus(error, 404)) return { action: 'not-found' };
      throw this.#deleteRefused(error, action, s);
    }
    this.#client.fresh.forget(s.repo);
    s.logger.info(`Deleted ${s.full}`);
    return { action: 'deleted' };
  }

  async #createOrAdopt(
    s: GitHubSession,
    request: CreateRepositoryOptions,
    action: string,
  ): Promise<Made> {
    try {
      const res = await s.octokit.rest.repos.createInOrg({
        org: request.owner,
        name: request.name,
        // The generated types leave out `internal`, which organisations on GitHub Enterprise accept.
        visibility: (request.visibility ?? 'private') as 'private',
        description: request.description,
        auto_init: false,
      });
      this.#client.fresh.created(s.repo);
      s.logger.info(`Created GitHub repository ${s.full}`);
      return { data: res.data, created: true, adoptedWithContent: false };
    } catch (error) {
      if (!(hasStatus(error, 422) && repoNameTaken(error))) {
        throw this.#client.fail(error, action, s);
      }
      return { ...(await this.#adopt(s, request)), created: false };
    }
  }

  /** Takes over a repository of the same visibility that exists already. */
  async #adopt(s: GitHubSession, request: CreateRepositoryOptions) {
    const { owner, name, description } = request;
    const visibility = request.visibility ?? 'private';
    // Someone (or an earlier attempt) made it: no longer Paved's alone.
    this.#client.fresh.forget(s.repo);
    let data: RepoData;
    try {
      data = (await s.octokit.rest.repos.get({ owner, repo: name })).data;
    } catch (error) {
      throw this.#client.fail(
        error,
        `reading existing repository ${s.full}`,
        s,
      );
    }
    if (data.archived) {
      throw new ConflictError(
        `${s.full} already exists and is archived; Paved will not adopt it`,
      );
    }
    if (data.visibility !== visibility) {
      throw new ConflictError(
        `${s.full} already exists as a ${data.visibility} repository, not ${visibility}; Paved will not adopt it`,
      );
    }
    // A repository with content may be someone else's: pushInitialContent
    // decides whether it is ours (the same tree), and until then nothing
    // on it changes.
    const { branches } = await this.#client.gitOnRepo(
      s,
      `reading the branches of ${s.full}`,
      () => listRemoteBranches(s.remote),
    );
    const adoptedWithContent = branches.size > 0;
    if (adoptedWithContent) {
      s.logger.info(
        `${s.full} already exists with content; its description and topics are left as they are`,
      );
    } else if (description !== undefined && data.description !== description) {
      try {
        data = (
          await s.octokit.rest.repos.update({ owner, repo: name, description })
        ).data;
      } catch (error) {
        throw this.#client.fail(
          error,
          `updating the description of ${s.full}`,
          s,
        );
      }
    }
    return { data, adoptedWithContent };
  }

  async #ensureTopics(s: GitHubSession, topics: string[], current: string[]) {
    if (
      topics.length === 0 ||
      isDeepStrictEqual([...current].sort(), [...topics].sort())
    ) {
      return;
    }
    try {
      await this.#client.onRepo(s, () =>
        s.octokit.rest.repos.replaceAllTopics({
          owner: s.repo.owner,
          repo: s.repo.name,
          names: topics,
        }),
      );
    } catch (error) {
      throw this.#client.fail(error, `setting the topics of ${s.full}`, s);
    }
  }

  /**
   * The repository an undo acts on, with its session; no `data` (logged)
   * when GitHub answers 404 and no scope is missing.
   */
  async #toUndo(
    request: GitHubRepoRef,
    doing: 'archiving' | 'deleting',
    options?: GitHubCallOptions,
  ) {
    const { owner, name } = request;
    assertRepositoryName(name);
    const action = `${doing} ${owner}/${name}`;
    const s = await this.#client.session(request, action, options);
    let data: RepoData;
    try {
      data = (await s.octokit.rest.repos.get({ owner, repo: name })).data;
    } catch (error) {
      this.#client.throwIfScopeMissing(error, action, s);
      if (!hasStatus(error, 404)) throw this.#client.fail(error, action, s);
      s.logger.info(
        `${s.full} does not exist on ${s.host}; nothing to ${
          doing === 'archiving' ? 'archive' : 'delete'
        }`,
      );
    }
    return { s, action, data };
  }

  /** A refused delete, with what deleting needs when no scope is missing. */
  #deleteRefused(error: unknown, action: string, s: GitHubSession): Error {
    const failure = this.#client.fail(error, action, s);
    if (
      failure.name === 'NotAllowedError' &&
      !failure.message.includes('lacks')
    ) {
      return new NotAllowedError(
        `${failure.message.replace(
          /\.$/,
          '',
        )}. Deleting needs admin rights on the repository (an organisation owner, or the creator's admin rights kept), and the organisation may allow only owners to delete repositories`,
      );
    }
    return failure;
  }
}
