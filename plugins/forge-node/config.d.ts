export interface Config {
  paved?: {
    /**
     * The local forge: bare git repositories on the portal's disk, where
     * `paved:publish` publishes when no GitHub integration with credentials
     * is configured for a repository's host.
     */
    forge?: {
      /**
       * Where the repositories live, as `<owner>/<name>.git`. Relative paths
       * resolve from the backend's working directory. Default `forge` in
       * `${PAVED_DATA_DIR:-../../data}`, beside the portal's other data.
       */
      directory?: string;
      /**
       * When set, the only owners (the first part of `owner/name`) the forge
       * creates repositories under, e.g. the organisation's GitHub login.
       * Any valid owner otherwise.
       */
      allowedOwners?: string[];
    };
  };
}
