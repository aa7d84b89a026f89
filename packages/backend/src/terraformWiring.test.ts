/*
 * The Terraform driver as the backend wires it: the embedded default boots
 * with the paved:terraform:* actions and no terraform binary, and a dry run
 * of a Terraform template runs none (it says what it would plan, the owner
 * read from the catalogue); app-config.yaml keeps state and run
 * directories under the data folder, app-config.production.yaml in the
 * portal's PostgreSQL.
 */
import path from 'node:path';
import { ConfigSources } from '@backstage/config-loader';
import {
  createMockDirectory,
  mockCredentials,
  startTestBackend,
  mockServices,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
// app-config.yaml keeps task workspaces in the database (taskRecovery)
import scaffolderWorkspaceDatabase from '@backstage/plugin-scaffolder-backend-module-workspace-database';
import pavedTerraformActions from '@paved/plugin-scaffolder-backend-module-terraform';
import pavedTemplateActions from '@paved/plugin-scaffolder-backend-module-templates';
import { readTerraformRunnerConfig } from '@paved/plugin-terraform-node';
import { terraformStepsOf } from './__testUtils__/terraformSteps';
import fs from 'node:fs';

const ROOT = path.resolve(__dirname, '../../..');
const BACKEND_DIR = path.resolve(__dirname, '..');

/** app-config.yaml (and more files) as the backend loads it, with the given environment. */
async function loadConfig(
  env: Record<string, string>,
  extraFiles: string[] = [],
) {
  const source = ConfigSources.default({
    argv: [path.join(ROOT, 'app-config.yaml'), ...extraFiles].flatMap(f => [
      '--config',
      f,
    ]),
    substitutionFunc: async name => env[name],
  });
  return ConfigSources.toConfig(source);
}

describe('the Terraform driver in the backend', () => {
  jest.setTimeout(60_000);
  const dataDir = createMockDirectory();

  it('keeps runs and state under the data folder in the embedded default, in PostgreSQL in production', async () => {
    const embedded = readTerraformRunnerConfig(
      await loadConfig({ PAVED_DATA_DIR: dataDir.path }),
      { cwd: BACKEND_DIR },
    );
    expect(embedded).toMatchObject({
      binary: 'terraform',
      modulesDir: path.join(ROOT, 'templates/terraform/modules'),
      workDir: path.join(dataDir.path, 'terraform/work'),
      backend: {
        type: 'local',
        directory: path.join(dataDir.path, 'terraform/state'),
      },
      planMaxAgeMs: 3_600_000,
      cancelGracePeriodMs: 30_000,
      // Shorter than scaffolder.taskRecovery.staleTimeout (15 s) by 5 s.
      lockLeaseMs: 10_000,
      stateLockTimeoutMs: 0,
    });
    // Without PAVED_DATA_DIR, the repository's git-ignored data folder.
    expect(
      readTerraformRunnerConfig(await loadConfig({}), { cwd: BACKEND_DIR })
        .workDir,
    ).toBe(path.join(ROOT, 'data/terraform/work'));

    const production = readTerraformRunnerConfig(
      await loadConfig(
        {
          PAVED_DATA_DIR: '/app/data',
          PAVED_TERRAFORM_BINARY: '/usr/bin/tofu',
          PAVED_TERRAFORM_PLAN_KEY: 'k'.repeat(44),
        },
        [path.join(ROOT, 'app-config.production.yaml')],
      ),
      { cwd: '/app' },
    );
    expect(production).toMatchObject({
      binary: '/usr/bin/tofu',
      modulesDir: '/app/templates/terraform/modules',
      workDir: '/app/data/terraform/work',
      backend: {
        type: 'pg',
        connectionString: undefined,
        schemaPrefix: 'tfstate_',
      },
      planEncryptionKey: 'k'.repeat(44),
      lockLeaseMs: 120_000,
    });
    // Unset (or empty), each replica generates a key of its own.
    for (const key of [undefined, '']) {
      const settings = readTerraformRunnerConfig(
        await loadConfig(
          {
            PAVED_DATA_DIR: '/app/data',
            ...(key === undefined ? {} : { PAVED_TERRAFORM_PLAN_KEY: key }),
          },
          [path.join(ROOT, 'app-config.production.yaml')],
        ),
        { cwd: '/app' },
      );
      expect(settings.planEncryptionKey).toBeUndefined();
    }
    // The image ships the modules where the production config looks for them.
    expect(
      fs.readFileSync(path.join(ROOT, 'docker/Dockerfile'), 'utf8'),
    ).toMatch(/^COPY templates \.\/templates$/m);
  });

  it('boots the embedded default with the paved:terraform:* actions, whose dry run runs no terraform', async () => {
    // Less `backend` (the test backend has its own port), permissions off:
    // the permission backend is not part of this test.
    // The repository root named, as the harness does: the default `../..` is
    // relative to the working directory, which is the repo root under
    // `backstage-cli repo test` and packages/backend under `package test`.
    const { backend: _backend, ...data } = (
      await loadConfig({ PAVED_DATA_DIR: dataDir.path, PAVED_REPO_DIR: ROOT })
    ).get() as any;
    // The sample organisation only: the plan's owner is read from it.
    const catalog = {
      locations: [
        {
          type: 'file',
          target: path.join(ROOT, 'catalog/org.yaml'),
          rules: [{ allow: ['Group', 'User'] }],
        },
      ],
    };
    const { server } = await startTestBackend({
      features: [
        catalogBackend,
        scaffolderBackend,
        scaffolderWorkspaceDatabase,
        pavedTerraformActions,
        // the templates' first step, paved:form:check
        pavedTemplateActions,
        mockServices.rootConfig.factory({
          data: { ...data, catalog, permission: { enabled: false } },
        }),
      ],
    });
    const baseUrl = `http://localhost:${server.port()}/api/scaffolder`;
    const headers = {
      authorization: mockCredentials.user.header(),
      'content-type': 'application/json',
    };
    for (let i = 0; ; i++) {
      const group = await fetch(
        `http://localhost:${server.port()}/api/catalog/entities/by-name/group/default/fulfilment`,
        { headers },
      );
      if (group.ok) break;
      if (i > 200) throw new Error('group:default/fulfilment never ingested');
      await new Promise(r => setTimeout(r, 100));
    }
    const actions = await fetch(`${baseUrl}/v2/actions`, { headers });
    expect(
      ((await actions.json()) as Array<{ id: string }>)
        .map(a => a.id)
        .filter(id => id.startsWith('paved:terraform:'))
        .sort(),
    ).toEqual([
      'paved:terraform:apply',
      'paved:terraform:connection:delete',
      'paved:terraform:connection:publish',
      'paved:terraform:output',
      'paved:terraform:plan',
      'paved:terraform:resource:register',
      'paved:terraform:resource:unregister',
      'paved:terraform:review',
    ]);

    // No terraform on this PATH, as on a machine without it.
    const path0 = process.env.PATH;
    process.env.PATH = dataDir.resolve('empty-bin');
    try {
      const dryRun = await fetch(`${baseUrl}/v2/dry-run`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          // Its Terraform steps, the owner a form field: the whole
          // template needs a cluster (infrastructureWiring.test.ts).
          template: terraformStepsOf('postgres-database'),
          values: { name: 'orders', owner: 'group:default/fulfilment' },
          directoryContents: [],
        }),
      });
      const body = await dryRun.json();
      expect(dryRun.status).toBe(200);
      const lines = body.log.map((l: any) => String(l.body.message));
      expect(lines).toContainEqual(
        expect.stringContaining(
          'Dry run: would plan module postgres-database in workspace orders-db with variables',
        ),
      );
      expect(lines).toContainEqual(
        expect.stringContaining(
          'Dry run: owner check passed: the workspace would be recorded as owned by group:default/fulfilment',
        ),
      );
      expect(JSON.stringify(body)).not.toContain('Terraform binary not found');
    } finally {
      process.env.PATH = path0;
    }
  });
});
