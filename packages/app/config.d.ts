export interface Config {
  paved?: {
    signIn?: {
      /**
       * Sign-in providers offered on the sign-in page, in order.
       * `picker` for the embedded default (the guest or any user of the
       * catalogue, through the backend's `auth.providers.picker`, which
       * production refuses), `github` in production.
       * @visibility frontend
       */
      providers?: Array<'guest' | 'github' | 'picker'>;
    };
  };
}
