import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import crypto from 'node:crypto';
import { DatabasePlanStore, PlanRecord } from './DatabasePlanStore';
import { migrateDatabase } from '../migrateDatabase';

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

  it('keeps a plan file with its plan in one transaction, byte for byte', async () => {
    const store = DatabasePlanStore.create({ knex, now: () => now });
    const planId = '00000000-0000-4000-8000-000000000020';
    // Larger than a page or a TOAST chunk, every byte value.
    const content = crypto.randomBytes(3 * 1024 * 1024 + 7);
    await store.insert(record(planId), {
      content,
      keyId: '0123456789abcdef',
      planFileBytes: 3_000_000,
    });
    const stored = await store.getPlanFile(planId);
    expect(stored?.keyId).toBe('0123456789abcdef');
    expect(stored?.planFileBytes).toBe(3_000_000);
    expect(Buffer.isBuffer(stored?.content)).toBe(true);
    expect(stored?.content.equals(content)).toBe(true);
    expect(
      await store.getPlanFile('00000000-0000-4000-8000-00000000dead'),
    ).toBeUndefined();

    // A plan file that cannot be written leaves no plan behind.
    const broken = '00000000-0000-4000-8000-000000000021';
    const failed = await store
      .insert(record(broken), {
        content: null as unknown as Buffer,
        keyId: 'k',
        planFileBytes: 1,
      })
      .then(
        () => 'inserted',
        e => String(e),
      );
    expect(failed).toMatch(/null/i);
    expect(await store.get(broken)).toBeUndefined();
  });

  it('drops the plan file once the plan can no longer be applied', async () => {
    const store = DatabasePlanStore.create({ knex, now: () => now });
    const file = {
      content: Buffer.from('sealed'),
      keyId: 'k',
      planFileBytes: 6,
    };
    const ids = ['30', '31', '32', '33'].map(
      n => `00000000-0000-4000-8000-0000000000${n}`,
    );
    for (const planId of ids) await store.insert(record(planId), file);
    await store.update(ids[0], { status: 'applying' });
    await store.update(ids[0], { status: 'failed', error: 'crashed' });
    // Failed part way: kept, a retry resumes from it.
    expect(await store.getPlanFile(ids[0])).toBeDefined();
    await store.update(ids[0], { status: 'applied' });
    await store.update(ids[1], { status: 'expired', from: ['planned'] });
    await store.update(ids[2], { status: 'stale' });
    // A compare-and-swap that loses changes nothing.
    await store.update(ids[3], { status: 'expired', from: ['applying'] });
    expect(
      await Promise.all(
        ids.map(async planId => Boolean(await store.getPlanFile(planId))),
      ),
    ).toEqual([false, false, false, true]);
    expect(
      Object.fromEntries(await store.statuses([...ids, 'no-such-plan'])),
    ).toEqual({
      [ids[0]]: 'applied',
      [ids[1]]: 'expired',
      [ids[2]]: 'stale',
      [ids[3]]: 'planned',
    });
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
    expect(await knex.schema.hasTable('paved_terraform__plan_files')).toBe(
      false,
    );
    expect(
      await knex.schema.hasTable('paved_terraform__workspace_leases'),
    ).toBe(false);
    await knex.migrate.latest(config);
    expect(await knex.schema.hasTable('paved_terraform__plans')).toBe(true);
    expect(await knex.schema.hasTable('paved_terraform__plan_files')).toBe(
      true,
    );
  });
});
