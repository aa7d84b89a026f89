/** A duration: '10s', '5m', an ISO 8601 duration such as PT5M, or { minutes: 5 }. */
type Duration =
  | string
  | {
      weeks?: number;
      days?: number;
      hours?: number;
      minutes?: number;
      seconds?: number;
      milliseconds?: number;
    };

export interface Config {
  paved?: {
    /**
     * The GitHub driver behind `paved:publish` and the `paved:github:*`
     * scaffolder actions. Credentials come from `integrations.github` (a
     * GitHub App is preferred over a token; `apiBaseUrl` for GitHub
     * Enterprise Server).
     */
    github?: {
      /**
       * The GitHub owners (organisations) Paved may create and configure
       * repositories in, case-insensitive. Any other owner is refused before
       * GitHub is asked. When left out, every owner the credentials reach.
       * Empty entries (an unset `${GITHUB_ORG:-}`) are left out; a list left
       * with none allows no owner.
       */
      allowedOwners?: string[];
      /**
       * After granting the owning team its role, remove the admin rights
       * GitHub gives the account that created the repository (the token's
       * user; nothing to remove for a GitHub App). Default false.
       */
      removeCreatorAdmin?: boolean;
      /**
       * The longest Paved waits for a rate limit (a `retry-after`, or the
       * hourly budget's reset) before the step fails with a rate limit error.
       * Default 1 minute.
       */
      maxRateLimitWait?: Duration;
      /**
       * The least time between two content-creating requests (POST, PATCH,
       * PUT, DELETE) of one credential, across every task and replica.
       * Default the tightest limit's rate evenly spread (750 ms for 80 a
       * minute); GitHub's advice is 1 second. 0 leaves only the limits.
       */
      writeInterval?: Duration;
      /**
       * One queue of content-creating requests per credential (a token, or
       * a GitHub App installation), shared by every replica through the
       * scaffolder's database: each write waits for its turn, so a burst of
       * tasks stays under GitHub's secondary limits instead of being
       * refused, and what GitHub answers (retry-after, a reset) holds the
       * whole queue back.
       */
      writeBudget?: {
        /**
         * GitHub's secondary limits on content-creating requests. Default
         * 80 a minute and 500 an hour, as GitHub documents them.
         */
        limits?: Array<{
          /** At most this many writes... */
          writes: number;
          /** ...in any window this long. */
          per: Duration;
        }>;
        /**
         * The longest a write waits for its turn. A step whose turn is
         * further away fails with a rate limit error that says when to run
         * the task again (finished steps are kept). Default 15 minutes: a
         * burst of 50 Create Component tasks fits.
         */
        maxWait?: Duration;
      };
    };
  };
}
