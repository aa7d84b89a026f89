import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { DatabasePlanStore, PlanRecord } from './DatabasePlanStore';
import { migrateDatabase } from './migrateDatabase';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const summary = {
  add: 1,
  change: 0,
  destroy: 0,
  replace: 0,
  text: 'Plan: 1 to add, 0 to change, 0 to destroy.',
  resources: [
    {
      address: 'aws_s3_bucket.this',
      type: 'aws_s3_bucket',
      name: 'this',
      action: 'create' as const,
      after: { bucket: 'kestrel-invoices', tags: { 'a "quoted" key': 'é' } },
    },
  ],
  outputs: [],
  terraformVersion: '1.11.4',
};

function record(
  planId: string,
  overrides: Partial<PlanRecord> = {},
): Omit<PlanRecord, 'createdAt' | 'updatedAt'> {
  return {
    planId,
    workspace: 'invoices',
    module: 'object-bucket',
    owner: 'task-1',
    runDir: `invoices/runs/${planId}`,
    checksum: 'a'.repeat(64),
    summary,
    status: 'planned',
    hasChanges: true,
    destroy: false,
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())('DatabasePlanStore (%s)', id => {
  let knex: Knex;
  let now = 1_800_000_000_000;
  beforeAll(async () => {
    knex = await databases.init(id);
    await migrateDatabase(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
  });

  it('keeps plans with their booleans, times and JSON as written', async () => {
    const store = DatabasePlanStore.create({ knex, now: () => now });
    await store.insert(record('00000000-0000-4000-8000-000000000001'));
    await store.insert(
      record('00000000-0000-4000-8000-000000000002', {
        owner: undefined,
        hasChanges: false,
        destroy: true,
      }),
    );
    const first = await store.get('00000000-0000-4000-8000-000000000001');
    expect(first).toEqual({
      ...record('00000000-0000-4000-8000-000000000001'),
      createdAt: now,
      updatedAt: now,
    });
    const second = await store.get('00000000-0000-4000-8000-000000000002');
    expect(second).toMatchObject({ hasChanges: false, destroy: true });
    expect(second).not.toHaveProperty('owner');
    expect(await store.get('00000000-0000-4000-8000-00000000dead')).toBe(
      undefined,
    );
  });

  it('changes status only from the expected states', async () => {
    const store = DatabasePlanStore.create({ knex, now: () => now });
    const planId = '00000000-0000-4000-8000-000000000003';
    await store.insert(record(planId));
    now += 1000;
    expect(
      await store.update(planId, { status: 'applying', from: ['planned'] }),
    ).toBe(true);
    // A second replica trying the same transition loses.
    expect(
      await store.update(planId, { status: 'applying', from: ['planned'] }),
    ).toBe(false);
    const result = {
      planId,
      workspace: 'invoices',
      added: 1,
      changed: 0,
      destroyed: 0,
      resources: [{ address: 'aws_s3_bucket.this', action: 'create' as const }],
      resumed: false,
      text: 'Apply complete! Resources: 1 added, 0 changed, 0 destroyed.',
    };
    expect(
      await store.update(planId, { status: 'applied', result, error: null }),
    ).toBe(true);
    expect(await store.get(planId)).toMatchObject({
      status: 'applied',
      result,
      updatedAt: now,
    });
    expect(
      await store.update('00000000-0000-4000-8000-00000000dead', {
        status: 'failed',
      }),
    ).toBe(false);
  });

  it('lists unapplied plans past an age, per workspace or all, oldest first', async () => {
    await knex('paved_terraform__plans').delete();
    let clock = 1_900_000_000_000;
    const store = DatabasePlanStore.create({ knex, now: () => clock });
    await store.insert(record('00000000-0000-4000-8000-000000000010'));
    clock += 1000;
    await store.insert(
      record('00000000-0000-4000-8000-000000000011', { workspace: 'other' }),
    );
    clock += 1000;
    await store.insert(
      record('00000000-0000-4000-8000-000000000012', { status: 'applied' }),
    );
    clock += 1000;
    await store.insert(record('00000000-0000-4000-8000-000000000013'));
    clock += 60_000;
    const ids = (plans: PlanRecord[]) => plans.map(p => p.planId.slice(-2));
    expect(ids(await store.listUnapplied({ olderThanMs: 30_000 }))).toEqual([
      '10',
      '11',
      '13',
    ]);
    expect(
      ids(
        await store.listUnapplied({
          olderThanMs: 30_000,
          workspace: 'invoices',
        }),
      ),
    ).toEqual(['10', '13']);
    expect(ids(await store.listUnapplied({ olderThanMs: 61_500 }))).toEqual([
      '10',
      '11',
    ]);
  });

  it('migrates down and up again', async () => {
    const config = {
      directory: resolvePackagePath(
        '@paved/plugin-terraform-node',
        'migrations',
      ),
      tableName: 'paved_terraform__knex_migrations',
    };
    await knex.migrate.rollback(config, true);
    expect(await knex.schema.hasTable('paved_terraform__plans')).toBe(false);
    expect(
      await knex.schema.hasTable('paved_terraform__workspace_leases'),
    ).toBe(false);
    await knex.migrate.latest(config);
    expect(await knex.schema.hasTable('paved_terraform__plans')).toBe(true);
  });
});
