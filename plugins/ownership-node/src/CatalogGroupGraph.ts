import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_CHILD_OF,
  RELATION_HAS_MEMBER,
  RELATION_MEMBER_OF,
  RELATION_PARENT_OF,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { RefreshingCache } from './RefreshingCache';

/** Options of {@link CatalogGroupGraph}. */
export type CatalogGroupGraphOptions = {
  catalog: CatalogService;
  auth: AuthService;
  /** How long an answer is fresh, in milliseconds (default 5000). */
  ttlMs?: number;
  /**
   * How long past that an answer is served while it is read again in the
   * background, in milliseconds (default 60000).
   */
  staleMs?: number;
  now?: () => number;
};

/**
 * The organisation as the catalogue records it: which groups a user is in
 * (with their ancestors) and which users a group holds (with its
 * descendants). Answers are fresh for a few seconds and served for a
 * minute more while they are read again in the background, so a
 * permission decision waits for the catalogue only for a user not seen
 * lately.
 */
export class CatalogGroupGraph {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #cache: RefreshingCache<string[]>;

  constructor(options: CatalogGroupGraphOptions) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#cache = new RefreshingCache({
      freshMs: options.ttlMs ?? 5000,
      staleMs: options.staleMs ?? 60_000,
      servesStale: refs => refs.length > 0,
      now: options.now,
    });
  }

  /** The groups of a user, directly and through parent groups; [] for an unknown user. */
  groupsOf(userRef: string): Promise<string[]> {
    return this.#cached(`groups:${userRef}`, async () => {
      const [user] = await this.#read([userRef]);
      if (!user) return [];
      return this.#walk(targets(user, RELATION_MEMBER_OF), RELATION_CHILD_OF);
    });
  }

  /** The users of a group, directly and through child groups. */
  membersOf(groupRef: string): Promise<string[]> {
    return this.#cached(`members:${groupRef}`, async () => {
      const groups = await this.#walk([groupRef], RELATION_PARENT_OF);
      const entities = await this.#read(groups);
      const users = new Set<string>();
      for (const group of entities) {
        for (const ref of targets(group, RELATION_HAS_MEMBER)) users.add(ref);
      }
      return [...users].sort();
    });
  }

  /** The kind of the entity a ref names, or undefined when there is none. */
  async kindOf(ref: string): Promise<string | undefined> {
    const [entity] = await this.#read([ref]);
    return entity?.kind.toLocaleLowerCase('en-US');
  }

  /** `start` and every group reached from it along `relation`, cycle-safe. */
  async #walk(start: string[], relation: string): Promise<string[]> {
    const seen = new Set<string>();
    let level = start.filter(ref => ref.startsWith('group:'));
    while (level.length > 0) {
      level.forEach(ref => seen.add(ref));
      const entities = await this.#read(level);
      level = [
        ...new Set(entities.flatMap(entity => targets(entity, relation))),
      ].filter(ref => !seen.has(ref));
    }
    return [...seen].sort();
  }

  async #read(refs: string[]): Promise<Entity[]> {
    if (refs.length === 0) return [];
    const credentials = await this.#auth.getOwnServiceCredentials();
    const { items } = await this.#catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ['kind', 'metadata.name', 'relations'] },
      { credentials },
    );
    return items.filter((item): item is Entity => Boolean(item));
  }

  #cached(key: string, load: () => Promise<string[]>): Promise<string[]> {
    return this.#cache.get(key, load);
  }
}

function targets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(relation => relation.type === type)
    .map(relation => relation.targetRef.toLocaleLowerCase('en-US'));
}
