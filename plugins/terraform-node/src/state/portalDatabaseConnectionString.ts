import { Config } from '@backstage/config';

const SET_IT = 'set paved.terraform.backend.pg.connectionString';

/** A connection as `backend.database` gives it, string or object. */
interface PgConnection {
  host?: string;
  port?: string | number;
  user?: string;
  password?: string | number;
  database?: string;
  ssl?: unknown;
  /** Backstage's kind of credentials: static unless azure, cloudsql or rds. */
  type?: string;
  /** libpq TLS parameters of a connection string, passed on as they are. */
  params?: Array<[string, string]>;
}

/** The libpq TLS parameters a connection string may carry. */
const TLS_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey'];

function parseConnection(connection: unknown): PgConnection {
  if (connection === undefined || connection === null) return {};
  if (typeof connection !== 'string') return connection as PgConnection;
  const url = new URL(connection);
  const optional = (value: string) =>
    value ? decodeURIComponent(value) : undefined;
  const ssl = url.searchParams.get('ssl');
  return {
    host: optional(url.hostname),
    port: optional(url.port),
    user: optional(url.username),
    password: optional(url.password),
    database: optional(url.pathname.slice(1)),
    ssl: ssl !== null && ssl !== 'false' && ssl !== '0',
    params: [...url.searchParams].filter(([name]) => TLS_PARAMS.includes(name)),
  };
}

/**
 * The connection and database Backstage gives plugin `pluginId`: the
 * plugin's own `connection` over the shared one, and the database named
 * there, or in `pluginDivisionMode: schema` the shared one, or else
 * `<prefix><pluginId>` (backstage_plugin_scaffolder).
 */
function pluginConnection(
  database: Config,
  pluginId: string | undefined,
): PgConnection {
  const plugin = pluginId
    ? database.getOptionalConfig(`plugin.${pluginId}`)
    : undefined;
  const schemaMode =
    database.getOptionalString('pluginDivisionMode') === 'schema';
  const ownClient = plugin?.getOptionalString('client');
  const { database: shared, ...base } =
    ownClient && ownClient !== database.getOptionalString('client')
      ? ({} as PgConnection)
      : parseConnection(database.getOptional('connection'));
  const connection: PgConnection = {
    ...base,
    ...(schemaMode && shared ? { database: shared } : {}),
    ...parseConnection(plugin?.getOptional('connection')),
  };
  if (!connection.database && !schemaMode) {
    if (!pluginId) {
      throw new Error(
        `paved.terraform.backend.type is pg but the plugin whose database the runner uses is not known: ${SET_IT}`,
      );
    }
    const prefix = database.getOptionalString('prefix') || 'backstage_plugin_';
    connection.database = `${prefix}${pluginId}`;
  }
  return connection;
}

/**
 * A libpq connection string (terraform's pg backend) for the PostgreSQL
 * database that `backend.database` gives the plugin hosting the runner:
 * the database its saved plans and workspace leases are in. Read from
 * configuration only, never from a database client. TLS: `ssl` in the
 * connection becomes `sslmode=require` (a connection string's own
 * `sslmode` is kept); without either, a `PGSSLMODE` of the portal's
 * environment is handed to terraform, and otherwise TLS is off as for
 * the portal.
 */
export function portalDatabaseConnectionString(
  rootConfig: Config | undefined,
  pluginId?: string,
): string {
  const database = rootConfig?.getOptionalConfig('backend.database');
  const plugin = pluginId
    ? database?.getOptionalConfig(`plugin.${pluginId}`)
    : undefined;
  const client =
    plugin?.getOptionalString('client') ??
    database?.getOptionalString('client');
  if (!database || !/^(pg|postgres|postgresql)$/.test(client ?? '')) {
    throw new Error(
      `paved.terraform.backend.type is pg but the portal database is not PostgreSQL: ${SET_IT}`,
    );
  }
  const c = pluginConnection(database, pluginId);
  if (c.type && c.type !== 'default') {
    throw new Error(
      `paved.terraform.backend.type is pg but the portal database connects with short-lived credentials (backend.database.connection.type), which terraform cannot use: ${SET_IT}`,
    );
  }
  const url = new URL('postgres://localhost');
  url.hostname = c.host ?? 'localhost';
  url.port = String(c.port ?? 5432);
  url.username = encodeURIComponent(c.user ?? 'postgres');
  if (c.password) url.password = encodeURIComponent(String(c.password));
  url.pathname = `/${encodeURIComponent(c.database ?? 'postgres')}`;
  for (const [name, value] of c.params ?? []) url.searchParams.set(name, value);
  if (url.searchParams.has('sslmode')) return url.toString();
  if (c.ssl) url.searchParams.set('sslmode', 'require');
  else if (!process.env.PGSSLMODE) url.searchParams.set('sslmode', 'disable');
  return url.toString();
}
