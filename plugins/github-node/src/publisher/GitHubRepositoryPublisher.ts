import { Config } from '@backstage/config';
import {
  CreateRepositoryOptions,
  CreateRepositoryResult,
  PublishCallOptions,
  PushInitialContentOptions,
  PushInitialContentResult,
  RecordedOwnership,
  RepositoryPreview,
  RepositoryPublisher,
  RepositoryRef,
} from '@paved/plugin-publish-node';
import { GitHubRepoService } from '../GitHubRepoService';
import { hasGitHubCredentials } from '../hasGitHubCredentials';
import { assertOwnerName, assertRepositoryName } from '../names';

/**
 * Options of {@link GitHubRepositoryPublisher.create}.
 *
 * @public
 */
export interface GitHubRepositoryPublisherOptions {
  service: GitHubRepoService;
  /** The root config: which hosts `integrations.github` has credentials for. */
  config: Config;
}

/**
 * GitHub as a {@link RepositoryPublisher}: it serves every host that
 * `integrations.github` has credentials for (a token or a GitHub App), and
 * publishes through the {@link GitHubRepoService}.
 *
 * @public
 */
export class GitHubRepositoryPublisher implements RepositoryPublisher {
  readonly id = 'github';
  readonly #service: GitHubRepoService;
  readonly #config: Config;

  static create(
    options: GitHubRepositoryPublisherOptions,
  ): GitHubRepositoryPublisher {
    return new GitHubRepositoryPublisher(options);
  }

  private constructor(options: GitHubRepositoryPublisherOptions) {
    this.#service = options.service;
    this.#config = options.config;
  }

  match(host: string): 'serves' | undefined {
    return hasGitHubCredentials(this.#config, host) ? 'serves' : undefined;
  }

  describe(host: string): string {
    return `GitHub (${host})`;
  }

  canonicalRef(ref: RepositoryRef): RepositoryRef {
    assertOwnerName(ref.owner, 'repoUrl owner');
    assertRepositoryName(ref.name, 'repoUrl repo');
    return ref;
  }

  /** Reads the marker topics of the repository (a GET); writes nothing. */
  recordedOwner(
    ref: RepositoryRef,
    callOptions?: PublishCallOptions,
  ): Promise<RecordedOwnership> {
    return this.#service.recordedOwner(
      { host: ref.host, owner: ref.owner, name: ref.name },
      callOptions,
    );
  }

  /** Makes no request: a dry run never touches GitHub, so it reports a repository to create. */
  async preview(ref: RepositoryRef): Promise<RepositoryPreview> {
    const htmlUrl = `https://${ref.host ?? 'github.com'}/${ref.owner}/${
      ref.name
    }`;
    return { exists: false, empty: true, htmlUrl, cloneUrl: `${htmlUrl}.git` };
  }

  createRepository(
    options: CreateRepositoryOptions,
    callOptions?: PublishCallOptions,
  ): Promise<CreateRepositoryResult> {
    return this.#service.createRepository(options, callOptions);
  }

  pushInitialContent(
    options: PushInitialContentOptions,
    callOptions?: PublishCallOptions,
  ): Promise<PushInitialContentResult> {
    return this.#service.pushInitialContent(options, callOptions);
  }
}
