export interface Config {
  paved?: {
    forge?: {
      /**
       * Whether callers without a Backstage token may read the forge over
       * HTTP: its pages, raw files and `git clone`. The catalogue does not
       * need it (it reads the repositories from disk). Default false; the
       * embedded default (app-config.yaml) turns it on so that "View source"
       * opens in a browser and `git clone` works without a token. A private
       * repository is read only by its owners, admins and services, whatever
       * this says. Deleting a repository always needs a token, the
       * `forge.repository.delete` permission and the repository's owner (or
       * an admin).
       */
      anonymousRead?: boolean;
    };
  };
}
