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
       * The pause between content-creating requests (POST, PATCH, PUT,
       * DELETE), GitHub's advice against secondary rate limits. Default 1
       * second; 0 turns it off.
       */
      writeInterval?: Duration;
    };
  };
}
