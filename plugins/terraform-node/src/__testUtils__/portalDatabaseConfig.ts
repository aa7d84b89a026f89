import { Config, ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';

/**
 * A root config whose `backend.database` is the PostgreSQL test database
 * `knex` is connected to, as an operator would write it: the pg state
 * backend derives its connection from it. `pluginDivisionMode: schema`
 * keeps the configured database (the test's) for every plugin.
 */
export function portalDatabaseConfig(knex: Knex): Config {
  // The test database's connection, as TestDatabases configured it.
  const { host, port, user, password, database } = (
    knex.client as { config: { connection: JsonObject } }
  ).config.connection;
  return new ConfigReader({
    backend: {
      database: {
        client: 'pg',
        pluginDivisionMode: 'schema',
        connection: {
          host,
          port,
          user,
          ...(password ? { password } : {}),
          database,
        },
      },
    },
  });
}
