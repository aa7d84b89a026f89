import { InputError } from '@backstage/errors';
import {
  CreateRepositoryOptions,
  CreateRepositoryResult,
  PushInitialContentOptions,
  PushInitialContentResult,
  RecordedOwnership,
  RepositoryPreview,
  RepositoryPublisher,
  RepositoryRef,
} from '@paved/plugin-publish-node';
import { LocalForge } from '../LocalForge';
import { normalizeForgeRepositoryRef } from '../names';

/**
 * Options of {@link LocalForgeRepositoryPublisher.create}.
 *
 * @public
 */
export interface LocalForgeRepositoryPublisherOptions {
  forge: LocalForge;
}

/**
 * The local forge as a {@link RepositoryPublisher}: the fallback for every
 * host no other publisher serves (the embedded default has no GitHub
 * credentials). Owner and name are lowercased, as GitHub compares them.
 *
 * @public
 */
export class LocalForgeRepositoryPublisher implements RepositoryPublisher {
  readonly id = 'local';
  readonly #forge: LocalForge;

  static create(
    options: LocalForgeRepositoryPublisherOptions,
  ): LocalForgeRepositoryPublisher {
    return new LocalForgeRepositoryPublisher(options);
  }

  private constructor(options: LocalForgeRepositoryPublisherOptions) {
    this.#forge = options.forge;
  }

  match(): 'fallback' {
    return 'fallback';
  }

  describe(): string {
    return `the local forge (${this.#forge.urls.baseUrl})`;
  }

  canonicalRef(ref: RepositoryRef): RepositoryRef {
    try {
      return { ...ref, ...normalizeForgeRepositoryRef(ref) };
    } catch (error) {
      if ((error as Error).name !== 'InputError') throw error;
      throw new InputError(`repoUrl: ${(error as Error).message}`);
    }
  }

  /** Reads the owner recorded in the repository's metadata; writes nothing. */
  async recordedOwner(ref: RepositoryRef): Promise<RecordedOwnership> {
    const found = await this.#forge.getRepository(ref);
    return {
      exists: Boolean(found),
      managed: Boolean(found?.ownerGroup),
      ownerGroup: found?.ownerGroup,
      empty: found?.empty,
    };
  }

  /** Reads what exists on disk; writes nothing. */
  async preview(ref: RepositoryRef): Promise<RepositoryPreview> {
    const found = await this.#forge.getRepository(ref);
    return {
      exists: Boolean(found),
      empty: found?.empty ?? true,
      htmlUrl: this.#forge.urls.repository(ref),
      cloneUrl: this.#forge.urls.clone(ref),
    };
  }

  createRepository(
    options: CreateRepositoryOptions,
  ): Promise<CreateRepositoryResult> {
    return this.#forge.createRepository(options);
  }

  pushInitialContent(
    options: PushInitialContentOptions,
  ): Promise<PushInitialContentResult> {
    return this.#forge.pushInitialContent(options);
  }
}
