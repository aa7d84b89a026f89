/** Options of {@link RefreshingCache}. */
export type RefreshingCacheOptions<T> = {
  /** How long an answer is fresh, in milliseconds. */
  freshMs: number;
  /**
   * How long past that an answer is still served while a fresh one is
   * read in the background, in milliseconds; older answers are waited for.
   */
  staleMs: number;
  /**
   * Whether a stale answer may be served while it is read again (default:
   * every answer). An empty group list, say, is not: the user may be
   * missing only because the catalogue has not read the organisation yet.
   */
  servesStale?: (value: T) => boolean;
  now?: () => number;
};

type Entry<T> = {
  at: number;
  value: Promise<T>;
  refreshing?: boolean;
  stale?: boolean;
};

/**
 * Answers kept by key: fresh ones served as they are, stale ones served
 * while one read refreshes them, so that a permission decision waits for
 * the catalogue only the first time a user is seen (or after a long quiet).
 * A failed read is forgotten, never served.
 *
 * @public
 */
export class RefreshingCache<T> {
  readonly #freshMs: number;
  readonly #staleMs: number;
  readonly #now: () => number;
  readonly #servesStale: (value: T) => boolean;
  readonly #entries = new Map<string, Entry<T>>();

  constructor(options: RefreshingCacheOptions<T>) {
    this.#freshMs = options.freshMs;
    this.#staleMs = options.staleMs;
    this.#now = options.now ?? Date.now;
    this.#servesStale = options.servesStale ?? (() => true);
  }

  get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.#entries.get(key);
    const age = entry ? this.#now() - entry.at : Infinity;
    if (entry && age < this.#freshMs) return entry.value;
    if (entry?.stale && age < this.#freshMs + this.#staleMs) {
      if (!entry.refreshing) this.#refresh(key, entry, load);
      return entry.value;
    }
    const value = load();
    const created: Entry<T> = { at: this.#now(), value };
    this.#entries.set(key, created);
    value.then(
      result => {
        created.stale = this.#servesStale(result);
      },
      () => {
        if (this.#entries.get(key) === created) this.#entries.delete(key);
      },
    );
    return value;
  }

  /** Reads a stale entry again, replacing it once the read succeeded. */
  #refresh(key: string, entry: Entry<T>, load: () => Promise<T>) {
    entry.refreshing = true;
    load().then(
      result => {
        if (this.#entries.get(key) === entry) {
          this.#entries.set(key, {
            at: this.#now(),
            value: Promise.resolve(result),
            stale: this.#servesStale(result),
          });
        }
      },
      () => {
        entry.refreshing = false;
      },
    );
  }
}
