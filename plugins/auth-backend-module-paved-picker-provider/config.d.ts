export interface Config {
  auth?: {
    providers?: {
      /**
       * The sign-in picker of the embedded default: anyone who opens the
       * portal may sign in as any User of the catalogue. Set it (as `{}`)
       * only where `auth.environment` is `development`; the backend refuses
       * to start with it when `auth.environment` or NODE_ENV is
       * `production`, and app-config.production.yaml sets it to null.
       */
      picker?: {
        /**
         * The User entities offered, by catalogue filter on
         * `metadata.namespace` (default: every namespace).
         */
        namespace?: string;
      };
    };
  };
}
