/*
 * The real backend (src/index.ts) run from its sources in a child process,
 * as `npm start` runs it, so that a test can kill it with SIGKILL and start
 * it again on the same database.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { ROOT, eventually } from './wiring';

/** A backend started by {@link startChildBackend}. */
export interface ChildBackend {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
}

/**
 * The PostgreSQL server of the test environment, as TestDatabases finds it
 * (BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING), if any.
 */
export const testPostgresUrl: string | undefined = Object.entries(
  process.env,
).find(([key]) =>
  /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(key),
)?.[1];

/**
 * The connection string for `database` on the server of `url`. TestDatabases'
 * variable names no database (`postgresql://user@host:5432`), a developer's
 * may (`.../postgres`); both work.
 */
export function postgresDatabaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * Starts the backend on app-config.yaml with `overrides` merged last (a file
 * in `configDir`), PAVED_DATA_DIR set to `dataDir`, and waits until it is
 * ready on `port`.
 */
export async function startChildBackend(options: {
  port: number;
  dataDir: string;
  configDir: string;
  overrides: object;
}): Promise<ChildBackend> {
  const { port, dataDir, configDir, overrides } = options;
  const overridesFile = path.join(
    configDir,
    `app-config.overrides-${Date.now()}.json`,
  );
  fs.writeFileSync(overridesFile, JSON.stringify(overrides));
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      path.join(ROOT, 'app-config.yaml'),
      '--config',
      overridesFile,
    ],
    {
      cwd: path.join(ROOT, 'packages/backend'),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'development',
        PAVED_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', d => (output += d));
  child.stderr!.on('data', d => (output += d));
  await eventually(
    'the backend to be ready',
    async () => {
      const res = await fetch(
        `http://127.0.0.1:${port}/.backstage/health/v1/readiness`,
      );
      return res.ok ? true : undefined;
    },
    () => {
      if (child.exitCode !== null) {
        throw new Error(`the backend exited (${child.exitCode}):\n${output}`);
      }
    },
    90_000,
  );
  return { child, output: () => output };
}

/** Kills the backend with SIGKILL, as a crash would end it. */
export async function killChildBackend(backend: ChildBackend | undefined) {
  const child = backend?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise(resolve => {
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });
}

/** The guest's token in the embedded default, and a caller of /api with it. */
export async function guestApi(baseUrl: string) {
  const refresh = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const token: string = (await refresh.json()).backstageIdentity.token;
  return async (
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${baseUrl}/api${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

/**
 * Waits until the permission policy sees the guest as an admin (a member of
 * the platform team): the catalogue must have read catalog/org.yaml, and the
 * policy keeps a user's groups a few seconds, so a task started earlier
 * would be refused what the platform team owns.
 */
export async function untilGuestIsAdmin(
  api: Awaited<ReturnType<typeof guestApi>>,
) {
  await eventually('the guest an admin to the policy', async () => {
    const res = await api('/permission/authorize', {
      items: [
        {
          id: 'admin',
          permission: {
            type: 'basic',
            name: 'paved.audit.read',
            attributes: { action: 'read' },
          },
        },
      ],
    });
    return res.body?.items?.[0]?.result === 'ALLOW' ? true : undefined;
  });
}

/** Drops the PostgreSQL databases whose names start with `prefix`. */
export async function dropPostgresDatabases(url: string, prefix: string) {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}
