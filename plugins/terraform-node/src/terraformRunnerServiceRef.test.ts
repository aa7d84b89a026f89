import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { FakeTerraform, fakeTerraformPath } from '@paved/testkit';
import { Knex } from 'knex';
import path from 'node:path';
import { TerraformRunner } from './TerraformRunner';
import { terraformRunnerServiceRef } from './terraformRunnerServiceRef';

jest.setTimeout(60_000);

const MODULES = path.resolve(__dirname, '../../../templates/terraform/modules');
const databases = TestDatabases.create();

/** A plugin that takes the runner, as the scaffolder's terraform module does. */
function pluginUsingRunner(
  pluginId: string,
  got: Map<string, TerraformRunner>,
) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { runner: terraformRunnerServiceRef },
        async init({ runner }) {
          got.set(pluginId, runner);
        },
      });
    },
  });
}

describe.each(databases.eachSupportedId())(
  'terraformRunnerServiceRef (%s)',
  databaseId => {
    const mockDir = createMockDirectory();

    it('gives each plugin a runner on its own database, migrated, and schedules plan expiry', async () => {
      const knexes: Record<string, Knex> = {
        scaffolder: await databases.init(databaseId),
        other: await databases.init(databaseId),
        bystander: await databases.init(databaseId),
      };
      const scheduler = mockServices.scheduler.mock();
      const got = new Map<string, TerraformRunner>();
      const backend = await startTestBackend({
        features: [
          pluginUsingRunner('scaffolder', got),
          pluginUsingRunner('other', got),
          createBackendPlugin({
            pluginId: 'bystander',
            register(env) {
              env.registerInit({ deps: {}, async init() {} });
            },
          }),
          createServiceFactory({
            service: coreServices.database,
            deps: { plugin: coreServices.pluginMetadata },
            factory: ({ plugin }) =>
              mockServices.database({
                knex: knexes[plugin.getId()],
                migrations: { skip: false },
              }),
          }),
          scheduler.factory,
          mockServices.rootConfig.factory({
            data: {
              paved: {
                terraform: {
                  binary: fakeTerraformPath,
                  modulesDir: MODULES,
                  workDir: mockDir.path,
                  planMaxAge: { minutes: 30 },
                },
              },
            },
          }),
        ],
      });
      try {
        expect(got.get('scaffolder')).not.toBe(got.get('other'));
        for (const id of ['scaffolder', 'other']) {
          expect({
            id,
            plans: await knexes[id].schema.hasTable('paved_terraform__plans'),
            leases: await knexes[id].schema.hasTable(
              'paved_terraform__workspace_leases',
            ),
          }).toEqual({ id, plans: true, leases: true });
        }
        expect(
          await knexes.bystander.schema.hasTable('paved_terraform__plans'),
        ).toBe(false);
        expect(
          (await got.get('scaffolder')!.listModules()).map(m => m.name),
        ).toEqual(['object-bucket', 'postgres-database', 'redis-cache']);

        expect(scheduler.scheduleTask).toHaveBeenCalledWith(
          expect.objectContaining({
            id: 'paved-terraform-expire-plans',
            scope: 'local',
            frequency: { minutes: 10 },
          }),
        );
        // The scheduled work runs: nothing to expire yet.
        const task = scheduler.scheduleTask.mock.calls[0][0];
        await expect(
          task.fn(new AbortController().signal),
        ).resolves.toBeUndefined();
      } finally {
        await backend.stop();
      }
    });

    it('stops the terraform processes still running when the backend stops', async () => {
      const fake = FakeTerraform.create({ dir: mockDir.resolve('fake') });
      fake.setScenario({ delays: { initMs: 60_000 } });
      const got = new Map<string, TerraformRunner>();
      const backend = await startTestBackend({
        features: [
          pluginUsingRunner('scaffolder', got),
          mockServices.database.factory({
            knex: await databases.init(databaseId),
            migrations: { skip: false },
          }),
          mockServices.rootConfig.factory({
            data: {
              paved: {
                terraform: {
                  binary: fakeTerraformPath,
                  modulesDir: MODULES,
                  workDir: mockDir.resolve('work'),
                  environment: fake.env,
                  cancelGracePeriod: { seconds: 5 },
                },
              },
            },
          }),
        ],
      });
      const planning = got
        .get('scaffolder')!
        .plan({
          module: 'object-bucket',
          workspace: 'shutdown-bucket',
          variables: { name: 'shutdown-bucket', owner: 'billing' },
        })
        .catch(e => e);
      let init;
      for (let i = 0; i < 200 && !init; i++) {
        init = fake.invocations().find(c => c.argv[0] === 'init');
        if (!init) await new Promise(r => setTimeout(r, 50));
      }
      expect(init).toBeDefined();
      const before = Date.now();
      await backend.stop();
      expect(Date.now() - before).toBeLessThan(5_000);
      expect(() => process.kill(init!.pid, 0)).toThrow();
      expect((await planning).name).toBe('TerraformRunError');
    });
  },
);
