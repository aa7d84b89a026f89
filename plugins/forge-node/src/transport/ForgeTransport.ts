import { listRefs, packObjects } from '@paved/plugin-git-node';
import { ForgeRefs } from '../LocalForge';
import { ForgeRepositoryRef, normalizeForgeRepositoryRef } from '../names';
import { ForgeStorage } from '../storage/ForgeStorage';

/** Options of {@link ForgeTransport.create}. */
export interface ForgeTransportOptions {
  storage: ForgeStorage;
}

/**
 * What git clone and fetch need of a forge repository: its refs, and packs
 * of what a client wants and does not have (the protocol itself is
 * `@paved/plugin-git-node`'s, served by the forge backend).
 */
export class ForgeTransport {
  readonly #storage: ForgeStorage;

  static create(options: ForgeTransportOptions): ForgeTransport {
    return new ForgeTransport(options);
  }

  private constructor(options: ForgeTransportOptions) {
    this.#storage = options.storage;
  }

  async listRefs(ref: ForgeRepositoryRef): Promise<ForgeRefs> {
    const repo = normalizeForgeRepositoryRef(ref);
    return listRefs(await this.#storage.existingGitdir(repo));
  }

  async packObjects(
    ref: ForgeRepositoryRef,
    request: { wants: string[]; haves: string[]; pack?: boolean },
  ): Promise<{ common: string[]; pack?: Uint8Array }> {
    const repo = normalizeForgeRepositoryRef(ref);
    return packObjects(await this.#storage.existingGitdir(repo), request);
  }
}
