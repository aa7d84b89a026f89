export interface Config {
  paved?: {
    publish?: {
      /**
       * Whether a repository whose repoUrl host has no credentials under
       * integrations.github goes to the local forge. Default true, except
       * when auth.environment is production: there such a host is an error
       * naming it and integrations.github.
       */
      localForgeFallback?: boolean;
    };
  };
}
