import { LoggerService } from '@backstage/backend-plugin-api';
import { GitHubRateLimitError } from '../errors';
import { WriteLimit } from './nextWriteSlot';
import { WriteSlotStore } from './WriteSlotStore';

/** Whose budget a write spends: one per token or GitHub App installation. */
export interface WriteCredential {
  /** Stable and secret-free: host, kind, and a hash of a token. */
  key: string;
  /** For people: `the token for github.com`, `the GitHub App installation on kestrel`. */
  description: string;
}

/**
 * Options of {@link GitHubWriteBudget.create}.
 *
 * @public
 */
export interface GitHubWriteBudgetOptions {
  store: WriteSlotStore;
  /** GitHub's secondary limits. */
  limits: WriteLimit[];
  /** The least time between two writes of one credential. */
  intervalMs: number;
  /** The longest a write waits for its turn before its step fails. */
  maxWaitMs: number;
}

/** Waits shorter than this are not worth a line in the task log. */
const QUIET_WAIT_MS = 1000;

/**
 * One queue of content-creating requests per GitHub credential, so that
 * every task, on every replica, stays under GitHub's secondary limits
 * (80 writes a minute, 500 an hour) instead of being refused: each write
 * books the next turn and waits for it. What GitHub answers (`retry-after`,
 * a rate limit's reset) holds the whole queue back.
 *
 * @public
 */
export class GitHubWriteBudget {
  readonly #store: WriteSlotStore;
  readonly #limits: WriteLimit[];
  readonly #intervalMs: number;
  readonly #maxWaitMs: number;

  static create(options: GitHubWriteBudgetOptions): GitHubWriteBudget {
    return new GitHubWriteBudget(options);
  }

  private constructor(options: GitHubWriteBudgetOptions) {
    this.#store = options.store;
    this.#limits = options.limits;
    this.#intervalMs = options.intervalMs;
    this.#maxWaitMs = options.maxWaitMs;
  }

  /**
   * Waits for the credential's next turn, saying so in `logger` (the task's
   * log) when it is not at once. A GitHubRateLimitError, and no turn taken,
   * when the turn is further away than the longest wait allowed.
   */
  async take(
    credential: WriteCredential,
    options: { logger: LoggerService; what: string },
  ): Promise<void> {
    const now = Date.now();
    const turn = await this.#store.book(credential.key, {
      now,
      latest: now + this.#maxWaitMs,
      intervalMs: this.#intervalMs,
      limits: this.#limits,
    });
    // From now, not from before the booking: a booking that waited for the
    // budget's lock must not send its write that much later than its turn.
    const waitMs = turn.at - Date.now();
    const seconds = Math.ceil(waitMs / 1000);
    if (!turn.booked) {
      throw new GitHubRateLimitError(
        `${options.what} failed: GitHub's write budget of ${
          credential.description
        } is taken for the next ${seconds} s (${
          turn.ahead
        } writes ahead), more than paved.github.writeBudget.maxWait (${Math.round(
          this.#maxWaitMs / 1000,
        )} s) allows. Run the task again after ${new Date(
          turn.at,
        ).toISOString()}; finished steps are kept.`,
        new Date(turn.at),
        'secondary',
      );
    }
    if (waitMs < QUIET_WAIT_MS) {
      if (waitMs > 0) await sleep(waitMs);
      return;
    }
    // A plain line: the task log shows a message's fields as JSON.
    options.logger.info(
      `Waiting for GitHub's write budget: ${writes(
        turn.ahead,
      )} ahead, about ${seconds} s`,
    );
    await sleep(waitMs);
  }

  /** Holds back every write of the credential until `until` (epoch ms). */
  async block(credential: WriteCredential, until: number): Promise<void> {
    await this.#store.block(credential.key, until);
  }
}

function writes(n: number): string {
  return `${n} write${n === 1 ? '' : 's'}`;
}

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}
