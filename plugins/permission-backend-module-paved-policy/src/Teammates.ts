import { AuthService } from '@backstage/backend-plugin-api';
import { RELATION_MEMBER_OF } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  OwnershipService,
  RefreshingCache,
} from '@paved/plugin-ownership-node';

/** Options of {@link Teammates}. */
export type TeammatesOptions = {
  catalog: CatalogService;
  auth: AuthService;
  ownership: OwnershipService;
  /** How long an answer is fresh, in milliseconds (default 5000). */
  ttlMs?: number;
  /**
   * How long past that it is served while read again in the background,
   * in milliseconds (default 60000).
   */
  staleMs?: number;
};

/**
 * A user and the members of the user's own groups (the groups the user
 * entity is a member of, not their ancestors: a parent group would make the
 * whole organisation teammates). Fresh for a few seconds and served a
 * minute more while read again, as the task list asks for every task page.
 */
export class Teammates {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #ownership: OwnershipService;
  readonly #cache: RefreshingCache<string[]>;

  static create(options: TeammatesOptions) {
    return new Teammates(options);
  }

  private constructor(options: TeammatesOptions) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#ownership = options.ownership;
    this.#cache = new RefreshingCache({
      freshMs: options.ttlMs ?? 5000,
      staleMs: options.staleMs ?? 60_000,
      // a user alone may be one the catalogue has not read yet
      servesStale: refs => refs.length > 1,
    });
  }

  /** The user entity ref and every member of the user's direct groups, sorted. */
  of(userEntityRef: string): Promise<string[]> {
    return this.#cache.get(userEntityRef, () => this.#load(userEntityRef));
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
