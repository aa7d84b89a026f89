import { AuthService } from '@backstage/backend-plugin-api';
import { RELATION_MEMBER_OF } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { OwnershipService } from '@paved/plugin-ownership-node';

/** Options of {@link Teammates}. */
export type TeammatesOptions = {
  catalog: CatalogService;
  auth: AuthService;
  ownership: OwnershipService;
  /** How long an answer is reused, in milliseconds (default 5000). */
  ttlMs?: number;
};

/**
 * A user and the members of the user's own groups (the groups the user
 * entity is a member of, not their ancestors: a parent group would make the
 * whole organisation teammates). Kept a few seconds, as the task list asks
 * for every task page.
 */
export class Teammates {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #ownership: OwnershipService;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, { at: number; value: Promise<string[]> }>();

  static create(options: TeammatesOptions) {
    return new Teammates(options);
  }

  private constructor(options: TeammatesOptions) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#ownership = options.ownership;
    this.#ttlMs = options.ttlMs ?? 5000;
  }

  /** The user entity ref and every member of the user's direct groups, sorted. */
  of(userEntityRef: string): Promise<string[]> {
    const hit = this.#cache.get(userEntityRef);
    if (hit && Date.now() - hit.at < this.#ttlMs) return hit.value;
    const value = this.#load(userEntityRef);
    this.#cache.set(userEntityRef, { at: Date.now(), value });
    value.catch(() => this.#cache.delete(userEntityRef));
    return value;
  }

  async #load(userEntityRef: string): Promise<string[]> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const { items } = await this.#catalog.getEntitiesByRefs(
      { entityRefs: [userEntityRef], fields: ['relations'] },
      { credentials },
    );
    const groups = (items[0]?.relations ?? [])
      .filter(relation => relation.type === RELATION_MEMBER_OF)
      .map(relation => relation.targetRef.toLocaleLowerCase('en-US'))
      .filter(ref => ref.startsWith('group:'));
    const members = await Promise.all(
      groups.map(group => this.#ownership.membersOf(group)),
    );
    return [...new Set([userEntityRef, ...members.flat()])].sort();
  }
}
