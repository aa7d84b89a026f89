/** A repository on a host, as the client names it. */
export interface RepoOnHost {
  host: string;
  owner: string;
  name: string;
}

function keyOf(repo: RepoOnHost) {
  return `${repo.host}/${repo.owner}/${repo.name}`.toLowerCase();
}

/**
 * The repositories this service instance created within the window: GitHub
 * answers 404 and 422 on them briefly while they propagate, and nothing but
 * Paved can have configured them yet.
 */
export class FreshRepositories {
  readonly #createdAt = new Map<string, number>();
  readonly #windowMs: number;
  readonly #retryDelaysMs: number[];

  constructor(options: { windowMs: number; retryDelaysMs: number[] }) {
    this.#windowMs = options.windowMs;
    this.#retryDelaysMs = options.retryDelaysMs;
  }

  created(repo: RepoOnHost) {
    this.#createdAt.set(keyOf(repo), Date.now());
  }

  /** No longer Paved's alone (adopted) or gone (deleted). */
  forget(repo: RepoOnHost) {
    this.#createdAt.delete(keyOf(repo));
  }

  isFresh(repo: RepoOnHost): boolean {
    const at = this.#createdAt.get(keyOf(repo));
    return at !== undefined && Date.now() - at < this.#windowMs;
  }

  /** The wait before retry `attempt` on a fresh repository; undefined once they are spent or it is not fresh. */
  retryDelay(repo: RepoOnHost, attempt: number): number | undefined {
    if (attempt >= this.#retryDelaysMs.length || !this.isFresh(repo)) {
      return undefined;
    }
    return this.#retryDelaysMs[attempt];
  }
}
