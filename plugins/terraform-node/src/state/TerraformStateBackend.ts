import { Config } from '@backstage/config';
import path from 'node:path';
import { portalDatabaseConnectionString } from './portalDatabaseConnectionString';
import { TerraformBackendSettings } from './readStateBackendConfig';

/** libpq settings terraform's pg backend (lib/pq) reads from the environment. */
const PG_TLS_ENV = [
  'PGSSLMODE',
  'PGSSLROOTCERT',
  'PGSSLCERT',
  'PGSSLKEY',
  'PGCONNECT_TIMEOUT',
];

/**
 * The state backend of every run: the generated `backend` block (always
 * empty, so nothing a request says can become configuration), the partial
 * configuration passed to `init` as `-backend-config` flags, and the
 * credentials, which travel only in terraform's environment.
 *
 * @public
 */
export class TerraformStateBackend {
  readonly #settings: TerraformBackendSettings;
  readonly #localDir: string;
  readonly #pgConnection: string | Error | undefined;

  private constructor(options: {
    settings: TerraformBackendSettings;
    localDir: string;
    pgConnection: string | Error | undefined;
  }) {
    this.#settings = options.settings;
    this.#localDir = options.localDir;
    this.#pgConnection = options.pgConnection;
  }

  /**
   * The backend of `paved.terraform.backend`. The pg backend without a
   * connection string derives one from the root config's
   * `backend.database`: the database Backstage gives `pluginId`, the
   * plugin hosting the runner.
   */
  static create(options: {
    settings: TerraformBackendSettings;
    /** Where local state lives when `local.directory` is not set. */
    workDir: string;
    /** The root config, for the pg backend's default connection. */
    config?: Config;
    /** The plugin hosting the runner, whose database the pg backend uses. */
    pluginId?: string;
  }): TerraformStateBackend {
    const { settings } = options;
    let pgConnection: string | Error | undefined;
    if (settings.type === 'pg') {
      try {
        pgConnection =
          settings.connectionString ??
          portalDatabaseConnectionString(options.config, options.pluginId);
      } catch (error) {
        // Reported by every run instead of stopping the hosting plugin.
        pgConnection = error as Error;
      }
    }
    return new TerraformStateBackend({
      settings,
      localDir:
        settings.type === 'local'
          ? settings.directory ?? options.workDir
          : options.workDir,
      pgConnection,
    });
  }

  get type(): TerraformBackendSettings['type'] {
    return this.#settings.type;
  }

  /** Throws the configuration problem that keeps runs from using the backend. */
  check(): void {
    if (this.#pgConnection instanceof Error) throw this.#pgConnection;
  }

  /** The content of the generated `*.tf.json` backend file. */
  configuration(): object {
    return { terraform: { backend: { [this.#settings.type]: {} } } };
  }

  /** `-backend-config` flags of `init` for a workspace: no credentials. */
  initFlags(workspace: string): string[] {
    const b = this.#settings;
    const flag = (key: string, value: string) =>
      `-backend-config=${key}=${value}`;
    switch (b.type) {
      case 'local':
        return [
          flag(
            'path',
            path.join(this.#localDir, workspace, 'terraform.tfstate'),
          ),
        ];
      case 'pg':
        return [
          flag(
            'schema_name',
            `${b.schemaPrefix}${workspace.replace(/-/g, '_')}`,
          ),
        ];
      case 's3':
        return [
          flag('bucket', b.bucket),
          flag('key', `${b.keyPrefix}${workspace}/terraform.tfstate`),
          flag('region', b.region),
          b.dynamodbTable
            ? flag('dynamodb_table', b.dynamodbTable)
            : flag('use_lockfile', 'true'),
        ];
      case 'gcs':
        return [
          flag('bucket', b.bucket),
          flag('prefix', `${b.prefix}${workspace}`),
        ];
      default:
        throw new Error(
          `unknown state backend ${(b as { type: string }).type}`,
        );
    }
  }

  /** The backend's credentials, as terraform reads them from its environment. */
  environment(): Record<string, string> {
    const b = this.#settings;
    const env: Record<string, string> = {};
    if (b.type === 'pg') {
      if (typeof this.#pgConnection === 'string')
        env.PG_CONN_STR = this.#pgConnection;
      for (const name of PG_TLS_ENV) {
        const value = process.env[name];
        if (value !== undefined) env[name] = value;
      }
    }
    if (b.type === 's3') {
      if (b.accessKeyId) env.AWS_ACCESS_KEY_ID = b.accessKeyId;
      if (b.secretAccessKey) env.AWS_SECRET_ACCESS_KEY = b.secretAccessKey;
      if (b.sessionToken) env.AWS_SESSION_TOKEN = b.sessionToken;
    }
    if (b.type === 'gcs' && b.credentials) {
      env.GOOGLE_CREDENTIALS = b.credentials;
    }
    return env;
  }

  /** Every secret value of the backend, for the redactor. */
  secrets(): unknown[] {
    const b = this.#settings;
    const values: unknown[] = [];
    if (b.type === 's3') {
      values.push(b.accessKeyId, b.secretAccessKey, b.sessionToken);
    }
    if (b.type === 'gcs' && b.credentials) {
      values.push(b.credentials);
      try {
        const key = JSON.parse(b.credentials);
        values.push(key.private_key, key.private_key_id);
      } catch {
        // not JSON: the whole string is redacted
      }
    }
    if (typeof this.#pgConnection === 'string') {
      values.push(this.#pgConnection);
      values.push(...connectionStringPasswords(this.#pgConnection));
    }
    return values;
  }
}

function connectionStringPasswords(connection: string): string[] {
  try {
    const url = new URL(connection);
    return url.password ? [decodeURIComponent(url.password)] : [];
  } catch {
    const m = /password=('(?:[^'\\]|\\.)*'|\S+)/.exec(connection);
    return m ? [m[1].replace(/^'|'$/g, '')] : [];
  }
}
