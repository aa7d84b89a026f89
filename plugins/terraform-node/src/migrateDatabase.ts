import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/**
 * The runner's tables live in the database of the plugin that hosts it
 * (the scaffolder), beside its own tables, as the scheduler's do; their own
 * migrations table keeps the two migration histories apart.
 */
const MIGRATIONS_TABLE = 'paved_terraform__knex_migrations';

/**
 * Brings the runner's tables up to date and returns the client.
 *
 * @public
 */
export async function migrateDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({
      directory: resolvePackagePath(
        '@paved/plugin-terraform-node',
        'migrations',
      ),
      tableName: MIGRATIONS_TABLE,
    });
  }
  return client;
}
