/**
 * Paved's constraints on top of the upstream schemas. Every package's
 * config.d.ts is checked when the backend starts (see src/config).
 */
export interface Config {
  backend: {
    database: {
      /**
       * better-sqlite3 for the embedded default (one file per plugin under
       * ./data), pg for production and for several replicas.
       */
      client: 'better-sqlite3' | 'pg';
    };
  };
  organization: {
    /**
     * Shown in the portal's header.
     * @visibility frontend
     */
    name: string;
  };
}
