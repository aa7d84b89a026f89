import { Client } from 'pg';
import {
  expectStartFailure,
  Portal,
  startPortal,
  unpackProductionBundle,
} from './harness/portal';

jest.setTimeout(240_000);

const pgUrl = process.env.PAVED_TEST_POSTGRES_URL;
const PROD = ['app-config.yaml', 'app-config.production.yaml'];

function pgEnv(url: URL) {
  return {
    POSTGRES_HOST: url.hostname,
    POSTGRES_PORT: url.port || '5432',
    POSTGRES_USER: decodeURIComponent(url.username) || 'postgres',
    POSTGRES_PASSWORD:
      decodeURIComponent(url.password) || 'unused-with-trust-auth',
    BACKEND_SECRET: 'e2e-backend-secret-0123456789',
    AUTH_GITHUB_CLIENT_ID: 'paved-e2e-client-id',
    AUTH_GITHUB_CLIENT_SECRET: 'paved-e2e-client-secret',
    // Production refuses to start without a random plan key of 32 bytes.
    PAVED_TERRAFORM_PLAN_KEY: 'Vb3kQ9xR2mT7pL0sN5wY8cF1hJ4gD6zA3eK9uM2rX7o=',
  };
}

if (!pgUrl) {
  // npm test fails under CI=true without PostgreSQL and prints a banner otherwise.
  it('needs PostgreSQL (PAVED_TEST_POSTGRES_URL, set by npm test)', () => {
    expect(process.env.PAVED_TEST_POSTGRES_URL).toEqual(expect.any(String));
  });
} else {
  describe('production configuration', () => {
    const url = new URL(pgUrl);
    const prefix = `paved_e2e_${process.pid}_`;
    const dir = unpackProductionBundle();
    let portal: Portal | undefined;

    afterAll(async () => {
      await portal?.stop();
      const admin = new Client({ connectionString: pgUrl });
      await admin.connect();
      const { rows } = await admin.query(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`${prefix}%`],
      );
      for (const { datname } of rows) {
        await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
      await admin.end();
    });

    it('boots on PostgreSQL with GitHub sign-in and no guest', async () => {
      portal = await startPortal(dir, {
        configs: PROD,
        env: pgEnv(url),
        config: { backend: { database: { prefix } } },
      });
      const ready = await fetch(
        `${portal.baseUrl}/.backstage/health/v1/readiness`,
      );
      expect(ready.status).toBe(200);

      // Every plugin keeps its tables in PostgreSQL under the configured prefix.
      const admin = new Client({ connectionString: pgUrl });
      await admin.connect();
      const { rows } = await admin.query(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`${prefix}%`],
      );
      await admin.end();
      const names = rows.map(r => r.datname);
      expect(names).toEqual(
        expect.arrayContaining([`${prefix}catalog`, `${prefix}auth`]),
      );

      // GitHub OAuth starts with the configured client id.
      const start = await fetch(
        `${portal.baseUrl}/api/auth/github/start?env=production`,
        { redirect: 'manual' },
      );
      expect(start.status).toBe(302);
      const location = new URL(start.headers.get('location')!);
      expect(location.origin).toBe('https://github.com');
      expect(location.searchParams.get('client_id')).toBe(
        'paved-e2e-client-id',
      );

      // The guest provider is not there in production.
      const guest = await fetch(`${portal.baseUrl}/api/auth/guest/refresh`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      expect(guest.status).toBe(404);
      // Nor the embedded default's sign-in picker.
      const picker = await fetch(`${portal.baseUrl}/api/auth/picker/refresh`, {
        headers: {
          'X-Requested-With': 'XMLHttpRequest',
          'x-paved-picker-user': 'user:default/guest',
        },
      });
      expect(picker.status).toBe(404);
      expect(
        (await fetch(`${portal.baseUrl}/api/auth/picker/users`)).status,
      ).toBe(404);

      // Anonymous callers get nothing from the catalogue.
      const anon = await fetch(`${portal.baseUrl}/api/catalog/entities`);
      expect(anon.status).toBe(401);

      // The built app is served with the production sign-in provider.
      const html = await (await fetch(`${portal.baseUrl}/`)).text();
      expect(html).toContain('<div id="root">');
      // TechDocs builds docs in the portal, so the TechDocs tab asks the
      // backend to build on first view. mkdocs runs only then: the backend
      // starts without it (as here, where it is not installed).
      const injected = html.match(
        /<script type="backstage.io\/config">([\s\S]*?)<\/script>/,
      );
      expect(injected).not.toBeNull();
      const builders = (
        JSON.parse(injected![1]) as Array<{ data: any }>
      ).flatMap(c => c.data?.techdocs?.builder ?? []);
      expect(builders[builders.length - 1]).toBe('local');

      // Secrets never reach the logs.
      expect(portal.logs()).not.toContain('paved-e2e-client-secret');
      expect(portal.logs()).not.toContain('e2e-backend-secret-0123456789');
    });

    it('stops at start naming a missing key', async () => {
      const { code, output } = await expectStartFailure(dir, {
        configs: PROD,
        env: { ...pgEnv(url), POSTGRES_HOST: undefined },
        config: { backend: { database: { prefix } } },
      });
      expect(code).not.toBe(0);
      expect(output).toContain('backend.database.connection.host');
    });

    it('stops at start with the sign-in picker turned on', async () => {
      const { code, output } = await expectStartFailure(dir, {
        configs: PROD,
        env: pgEnv(url),
        config: {
          backend: { database: { prefix } },
          auth: { providers: { picker: {} } },
        },
      });
      expect(code).not.toBe(0);
      expect(output).toContain(
        'auth.providers.picker is set, but this backend runs in production',
      );
    });

    it('stops at start naming a malformed key', async () => {
      const { code, output } = await expectStartFailure(dir, {
        configs: PROD,
        env: { ...pgEnv(url), POSTGRES_PORT: 'five-four-three-two' },
        config: { backend: { database: { prefix } } },
      });
      expect(code).not.toBe(0);
      expect(output).toContain('backend.database.connection.port');
      expect(output).not.toContain('paved-e2e-client-secret');
    });
  });
}
