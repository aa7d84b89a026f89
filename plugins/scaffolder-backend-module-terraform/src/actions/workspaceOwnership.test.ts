/*
 * Ownership of Terraform workspaces: the first plan records the owning
 * group, and every later plan (one that destroys as a delete), apply and
 * output read is checked against that record, before terraform runs or the workspace is locked.
 */
import { AuditorService } from '@backstage/backend-plugin-api';
import { ServiceMock } from '@backstage/backend-test-utils';
import { TEST_GROUPS, TEST_USERS } from '@paved/testkit';
import {
  describeWithRunner,
  TestTask,
} from '../__testUtils__/createTestRunner';
import { createTerraformApplyAction } from './terraformApply';
import { createTerraformOutputAction } from './terraformOutput';
import { createTerraformPlanAction } from './terraformPlan';

jest.setTimeout(60_000);

/** The events the actions reported, with how each ended. */
async function auditTrail(
  auditor: ServiceMock<AuditorService>,
): Promise<Array<{ eventId: string; meta: any; outcome: string }>> {
  const { calls, results } = auditor.createEvent.mock;
  return Promise.all(
    calls.map(async ([event], i) => {
      const handle: any = await results[i].value;
      let outcome = 'open';
      if (handle.success.mock.calls.length) outcome = 'succeeded';
      if (handle.fail.mock.calls.length) outcome = 'failed';
      return {
        eventId: event.eventId,
        severityLevel: event.severityLevel,
        meta: event.meta,
        outcome,
      };
    }),
  );
}

describeWithRunner('ownership of terraform workspaces', t => {
  /** Team A's database, as the PostgreSQL template plans it. */
  const teamADatabase = {
    module: 'postgres-database',
    workspace: 'orders-db',
    owner: TEST_GROUPS.teamA,
    variables: {
      name: 'orders',
      owner: 'storefront',
      instance_class: 'db.t4g.micro',
    },
  };

  /** Team A plans and applies its database. */
  async function teamAApplies() {
    const task = new TestTask('task-a', t.logs, { user: TEST_USERS.teamA });
    await createTerraformPlanAction(t.options).handler(
      task.context('plan', teamADatabase),
    );
    const planId = task.outputs.plan.planId as string;
    await createTerraformApplyAction(t.options).handler(
      task.context('apply', { planId, allowDestroy: false }),
    );
    return planId;
  }

  it('records the owning group at the first plan, from the owner input', async () => {
    const planId = await teamAApplies();
    await expect(
      t.runner.getWorkspaceOwner('orders-db'),
    ).resolves.toMatchObject({
      ownerRef: TEST_GROUPS.teamA,
      recordedBy: TEST_USERS.teamA,
      taskId: 'task-a',
    });
    expect((await t.runner.getPlan(planId))?.status).toBe('applied');
    expect(await auditTrail(t.options.auditor)).toEqual([
      expect.objectContaining({
        eventId: 'terraform-plan',
        meta: expect.objectContaining({
          actor: TEST_USERS.teamA,
          target: 'terraform workspace orders-db',
          taskId: 'task-a',
        }),
        outcome: 'succeeded',
      }),
      expect.objectContaining({
        eventId: 'terraform-workspace-owner',
        meta: expect.objectContaining({ ownerRef: TEST_GROUPS.teamA }),
        outcome: 'succeeded',
      }),
      expect.objectContaining({
        eventId: 'terraform-apply',
        meta: expect.objectContaining({
          actor: TEST_USERS.teamA,
          target: 'terraform workspace orders-db',
        }),
        outcome: 'succeeded',
      }),
    ]);
  });

  it("refuses team B planning team A's database with another instance class, before init, leaving A's plan and state alone", async () => {
    const planId = await teamAApplies();
    const calls = t.fake.invocations().length;
    const plansBefore = await t.knex('paved_terraform__plans');
    t.options.auditor.createEvent.mockClear();

    const task = new TestTask('task-b', t.logs, { user: TEST_USERS.teamB });
    const error = await createTerraformPlanAction(t.options)
      .handler(
        task.context('plan', {
          ...teamADatabase,
          owner: TEST_GROUPS.teamB,
          variables: {
            ...teamADatabase.variables,
            owner: 'fulfilment',
            instance_class: 'db.t4g.medium',
          },
        }),
      )
      .catch(e => e);
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toBe(
      'user:default/jonas-weber may not plan terraform workspace orders-db: it is owned by group:default/storefront, and the policy refused paved.target.change to user:default/jonas-weber, who is neither a member of that group nor an admin',
    );
    // The stand-in saw no init and no plan; no lease was taken.
    expect(t.fake.invocations()).toHaveLength(calls);
    expect(await t.knex('paved_terraform__workspace_leases')).toEqual([]);
    expect(await t.knex('paved_terraform__plans')).toEqual(plansBefore);
    expect((await t.runner.getPlan(planId))?.status).toBe('applied');
    await expect(
      t.runner.getWorkspaceOwner('orders-db'),
    ).resolves.toMatchObject({ ownerRef: TEST_GROUPS.teamA });
    expect(await auditTrail(t.options.auditor)).toEqual([
      expect.objectContaining({
        eventId: 'terraform-plan',
        meta: expect.objectContaining({
          actor: TEST_USERS.teamB,
          target: 'terraform workspace orders-db',
          taskId: 'task-b',
        }),
        outcome: 'failed',
      }),
    ]);

    // Naming team A as the owner changes nothing: the record counts.
    const again = await createTerraformPlanAction(t.options)
      .handler(
        new TestTask('task-b2', t.logs, { user: TEST_USERS.teamB }).context(
          'plan',
          teamADatabase,
        ),
      )
      .catch(e => e);
    expect(again.name).toBe('NotAllowedError');
    expect(t.fake.invocations()).toHaveLength(calls);
  });

  it("lets A's teammate and an admin plan A's workspace, and refuses B's plan to destroy it and output read", async () => {
    await teamAApplies();
    for (const user of [TEST_USERS.teamAMate, TEST_USERS.admin]) {
      const task = new TestTask(`task-${user}`, t.logs, { user });
      await createTerraformPlanAction(t.options).handler(
        task.context('plan', { ...teamADatabase, owner: undefined }),
      );
      expect(task.outputs.plan.hasChanges).toBe(false);
    }
    const calls = t.fake.invocations().length;
    const b = new TestTask('task-b', t.logs, { user: TEST_USERS.teamB });
    t.options.auditor.createEvent.mockClear();
    await expect(
      createTerraformPlanAction(t.options).handler(
        b.context('plan', {
          module: 'postgres-database',
          workspace: 'orders-db',
          variables: teamADatabase.variables,
          destroy: true,
        }),
      ),
    ).rejects.toThrow(
      'user:default/jonas-weber may not plan the destruction of terraform workspace orders-db: it is owned by group:default/storefront, and the policy refused paved.target.delete',
    );
    await expect(
      createTerraformOutputAction(t.options).handler(
        b.context('outputs', { workspace: 'orders-db' }),
      ),
    ).rejects.toThrow(
      'user:default/jonas-weber may not read the outputs of terraform workspace orders-db',
    );
    expect(t.fake.invocations()).toHaveLength(calls);
    expect(await auditTrail(t.options.auditor)).toEqual([
      expect.objectContaining({
        eventId: 'terraform-plan',
        meta: expect.objectContaining({ destroy: true }),
        outcome: 'failed',
      }),
      expect.objectContaining({
        eventId: 'terraform-output',
        outcome: 'failed',
      }),
    ]);
  });

  it('refuses a first plan for a group the user is not in, a user as owner, or no owner, recording nothing', async () => {
    const b = new TestTask('task-b', t.logs, { user: TEST_USERS.teamB });
    const plan = createTerraformPlanAction(t.options);
    const attempt = (owner: string | undefined) =>
      plan
        .handler(
          b.context('plan', { ...teamADatabase, workspace: 'new-db', owner }),
        )
        .catch(e => e);
    const notMember = await attempt(TEST_GROUPS.teamA);
    expect(notMember.name).toBe('NotAllowedError');
    expect(notMember.message).toContain(
      'user:default/jonas-weber may not plan terraform workspace new-db: it is owned by group:default/storefront',
    );
    const user = await attempt(TEST_USERS.teamB);
    expect(user.name).toBe('InputError');
    expect(user.message).toMatch(/^owner must be a group/);
    const none = await attempt(undefined);
    expect(none.message).toBe(
      'owner: required for the first plan of terraform workspace new-db, to record the group that owns it (group:default/<name>)',
    );
    expect(t.fake.invocations()).toEqual([]);
    await expect(t.runner.getWorkspaceOwner('new-db')).resolves.toBe(undefined);
  });

  it('refuses to plan the destruction of a workspace with no recorded owner', async () => {
    const task = new TestTask('task-admin', t.logs);
    await expect(
      createTerraformPlanAction(t.options).handler(
        task.context('plan', {
          module: 'postgres-database',
          workspace: 'legacy-db',
          variables: teamADatabase.variables,
          destroy: true,
        }),
      ),
    ).rejects.toThrow(
      'may not plan the destruction of terraform workspace legacy-db: it has no recorded owner',
    );
    expect(t.fake.invocations()).toEqual([]);
  });

  it('lets only an admin name the owner of a workspace planned before owners were recorded', async () => {
    // A plan made without the actions: the workspace exists, with no owner.
    await t.runner.plan({
      module: 'postgres-database',
      workspace: 'legacy-db',
      variables: teamADatabase.variables,
    });
    const calls = t.fake.invocations().length;
    const claim = (user: string, owner: string) =>
      createTerraformPlanAction(t.options).handler(
        new TestTask(`task-${user}`, t.logs, { user }).context('plan', {
          ...teamADatabase,
          workspace: 'legacy-db',
          owner,
        }),
      );
    await expect(claim(TEST_USERS.teamB, TEST_GROUPS.teamB)).rejects.toThrow(
      'user:default/jonas-weber may not plan terraform workspace legacy-db: it was planned before owners were recorded, so it has none; an admin plans it first, naming its owner',
    );
    expect(t.fake.invocations()).toHaveLength(calls);
    await expect(t.runner.getWorkspaceOwner('legacy-db')).resolves.toBe(
      undefined,
    );
    await claim(TEST_USERS.admin, TEST_GROUPS.teamA);
    await expect(
      t.runner.getWorkspaceOwner('legacy-db'),
    ).resolves.toMatchObject({
      ownerRef: TEST_GROUPS.teamA,
      recordedBy: TEST_USERS.admin,
    });
  });
});
