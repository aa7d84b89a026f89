import { ConfigReader } from '@backstage/config';
import { TerraformStateBackend } from './TerraformStateBackend';

/** The scaffolder's pg backend, with this `backend.database` in the root config. */
function pgBackend(database: object, connectionString?: string) {
  return TerraformStateBackend.create({
    settings: {
      type: 'pg',
      schemaPrefix: 'tfstate_',
      ...(connectionString ? { connectionString } : {}),
    },
    workDir: '/w',
    config: new ConfigReader({ backend: { database } }),
    pluginId: 'scaffolder',
  });
}

describe('TerraformStateBackend', () => {
  const originalSslMode = process.env.PGSSLMODE;
  afterEach(() => {
    if (originalSslMode === undefined) delete process.env.PGSSLMODE;
    else process.env.PGSSLMODE = originalSslMode;
  });

  it('keeps local state per workspace in the work directory or its own', () => {
    const inWork = TerraformStateBackend.create({
      settings: { type: 'local' },
      workDir: '/var/paved/work',
    });
    expect(inWork.configuration()).toEqual({
      terraform: { backend: { local: {} } },
    });
    expect(inWork.initFlags('orders-db')).toEqual([
      '-backend-config=path=/var/paved/work/orders-db/terraform.tfstate',
    ]);
    expect(inWork.environment()).toEqual({});
    const own = TerraformStateBackend.create({
      settings: { type: 'local', directory: '/srv/state' },
      workDir: '/var/paved/work',
    });
    expect(own.initFlags('a')).toEqual([
      '-backend-config=path=/srv/state/a/terraform.tfstate',
    ]);
  });

  it('passes s3 and gcs locations as flags and their credentials as environment only', () => {
    const s3 = TerraformStateBackend.create({
      settings: {
        type: 's3',
        bucket: 'paved-state',
        region: 'eu-west-1',
        keyPrefix: 'ws/',
        dynamodbTable: 'paved-locks',
        accessKeyId: 'AKIAEXAMPLE0001',
        secretAccessKey: 's3-secret-0001',
        sessionToken: 'session-token-0001',
      },
      workDir: '/w',
    });
    expect(s3.configuration()).toEqual({ terraform: { backend: { s3: {} } } });
    expect(s3.initFlags('orders-db')).toEqual([
      '-backend-config=bucket=paved-state',
      '-backend-config=key=ws/orders-db/terraform.tfstate',
      '-backend-config=region=eu-west-1',
      '-backend-config=dynamodb_table=paved-locks',
    ]);
    expect(s3.environment()).toEqual({
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE0001',
      AWS_SECRET_ACCESS_KEY: 's3-secret-0001',
      AWS_SESSION_TOKEN: 'session-token-0001',
    });
    expect(s3.secrets()).toEqual([
      'AKIAEXAMPLE0001',
      's3-secret-0001',
      'session-token-0001',
    ]);

    const key = JSON.stringify({
      type: 'service_account',
      private_key_id: 'gcs-key-id-0001',
      private_key:
        '-----BEGIN PRIVATE KEY-----\nMIIgcs\n-----END PRIVATE KEY-----\n',
    });
    const gcs = TerraformStateBackend.create({
      settings: {
        type: 'gcs',
        bucket: 'paved-state',
        prefix: 'paved/',
        credentials: key,
      },
      workDir: '/w',
    });
    expect(gcs.initFlags('orders-db')).toEqual([
      '-backend-config=bucket=paved-state',
      '-backend-config=prefix=paved/orders-db',
    ]);
    expect(gcs.environment()).toEqual({ GOOGLE_CREDENTIALS: key });
    expect(gcs.secrets()).toEqual(
      expect.arrayContaining([key, 'gcs-key-id-0001']),
    );
    expect(JSON.stringify(gcs.initFlags('x'))).not.toContain('PRIVATE KEY');
  });

  it('puts each workspace of the pg backend in its own schema, the connection in PG_CONN_STR', () => {
    const pg = TerraformStateBackend.create({
      settings: {
        type: 'pg',
        schemaPrefix: 'tfstate_',
        connectionString: 'postgres://tf:pg-secret-0001@db:5432/state',
      },
      workDir: '/w',
    });
    expect(pg.initFlags('orders-db')).toEqual([
      '-backend-config=schema_name=tfstate_orders_db',
    ]);
    expect(pg.environment()).toEqual({
      PG_CONN_STR: 'postgres://tf:pg-secret-0001@db:5432/state',
    });
    expect(pg.secrets()).toContain('pg-secret-0001');
  });

  it('derives the pg connection from backend.database, with its TLS from the environment', () => {
    process.env.PGSSLMODE = 'verify-full';
    const viaEnv = pgBackend({
      client: 'pg',
      pluginDivisionMode: 'schema',
      connection: { host: 'db', database: 'x' },
    });
    expect(viaEnv.environment()).toEqual({
      PG_CONN_STR: 'postgres://postgres@db:5432/x',
      PGSSLMODE: 'verify-full',
    });
  });

  it('prefers paved.terraform.backend.pg.connectionString to backend.database', () => {
    const configured = pgBackend(
      { client: 'pg', connection: { host: 'portal-db' } },
      'postgres://tf@state-db:5432/state',
    );
    expect(configured.environment().PG_CONN_STR).toBe(
      'postgres://tf@state-db:5432/state',
    );
  });

  it('reports an unusable pg configuration on use, not at creation', () => {
    const backend = pgBackend({
      client: 'better-sqlite3',
      connection: ':memory:',
    });
    expect(() => backend.check()).toThrow(
      'paved.terraform.backend.type is pg but the portal database is not PostgreSQL',
    );
    expect(backend.environment()).toEqual({});
  });
});
