import { ConfigReader } from '@backstage/config';
import { portalDatabaseConnectionString } from './portalDatabaseConnectionString';

/** The connection string for the scaffolder, given this `backend.database`. */
function forScaffolder(database: object | undefined) {
  return portalDatabaseConnectionString(
    new ConfigReader(database ? { backend: { database } } : {}),
    'scaffolder',
  );
}

describe('portalDatabaseConnectionString', () => {
  const originalSslMode = process.env.PGSSLMODE;
  afterEach(() => {
    if (originalSslMode === undefined) delete process.env.PGSSLMODE;
    else process.env.PGSSLMODE = originalSslMode;
  });

  it('uses the portal database for the pg backend, or says why it cannot', () => {
    delete process.env.PGSSLMODE;
    // The database Backstage gives the scaffolder: backstage_plugin_scaffolder.
    expect(
      forScaffolder({
        client: 'pg',
        connection: {
          host: 'db.internal',
          port: 5433,
          user: 'backstage',
          password: 'p@ss:w/rd',
        },
      }),
    ).toBe(
      'postgres://backstage:p%40ss%3Aw%2Frd@db.internal:5433/backstage_plugin_scaffolder?sslmode=disable',
    );
    expect(
      forScaffolder({
        client: 'pg',
        connection: { host: 'db', ssl: { ca: 'CA' } },
        plugin: { scaffolder: { connection: { database: 'x' } } },
      }),
    ).toBe('postgres://postgres@db:5432/x?sslmode=require');
    // TLS set for the portal through the environment reaches terraform too.
    process.env.PGSSLMODE = 'verify-full';
    expect(
      forScaffolder({
        client: 'pg',
        pluginDivisionMode: 'schema',
        connection: { host: 'db', database: 'x' },
      }),
    ).toBe('postgres://postgres@db:5432/x');

    expect(() =>
      forScaffolder({ client: 'better-sqlite3', connection: ':memory:' }),
    ).toThrow(
      'paved.terraform.backend.type is pg but the portal database is not PostgreSQL: set paved.terraform.backend.pg.connectionString',
    );
    expect(() =>
      forScaffolder({
        client: 'pg',
        connection: { type: 'azure', host: 'db', user: 'backstage' },
      }),
    ).toThrow(
      /short-lived credentials .* set paved\.terraform\.backend\.pg\.connectionString/,
    );
  });

  it('reads a connection string, keeping its TLS mode and naming the plugin database', () => {
    delete process.env.PGSSLMODE;
    expect(
      forScaffolder({
        client: 'pg',
        connection:
          'postgresql://backstage:s%3Acret@db:5432/backstage?sslmode=verify-full&application_name=x',
      }),
    ).toBe(
      'postgres://backstage:s%3Acret@db:5432/backstage_plugin_scaffolder?sslmode=verify-full',
    );
    expect(
      forScaffolder({
        client: 'pg',
        prefix: 'portal_',
        connection: 'postgresql://backstage@db/backstage',
      }),
    ).toBe('postgres://backstage@db:5432/portal_scaffolder?sslmode=disable');
  });

  it('says so when there is no backend.database or no plugin to name the database', () => {
    expect(() => forScaffolder(undefined)).toThrow(
      'paved.terraform.backend.type is pg but the portal database is not PostgreSQL',
    );
    expect(() =>
      portalDatabaseConnectionString(
        new ConfigReader({
          backend: { database: { client: 'pg', connection: { host: 'db' } } },
        }),
      ),
    ).toThrow(
      'paved.terraform.backend.type is pg but the plugin whose database the runner uses is not known: set paved.terraform.backend.pg.connectionString',
    );
  });
});
