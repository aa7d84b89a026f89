import {
  parseTemplateExampleSteps,
  TEST_GROUPS,
  TEST_USERS,
} from '@paved/testkit';
import {
  describeWithRunner,
  DB_PASSWORD,
  PROVIDER_SECRET,
  runExampleSteps,
  TestTask,
} from '../__testUtils__/createTestRunner';
import { createTerraformPlanAction } from './terraformPlan';
import { examples } from './terraformPlan.examples';
import { createTerraformReviewAction } from './terraformReview';
import { InMemoryApprovals } from '../__testUtils__/InMemoryApprovals';

jest.setTimeout(60_000);

describeWithRunner('paved:terraform:plan', t => {
  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      // Without resources in the scenario, the stand-in plans what the module declares.
      t.fake.setScenario({});
      const action = createTerraformPlanAction(t.options);
      const task = new TestTask('task-examples', t.logs);
      const steps = parseTemplateExampleSteps(example);
      await runExampleSteps(steps, [action], task);
      for (const step of steps) {
        const output = task.outputs[step.id!];
        expect(Object.keys(output).sort()).toEqual([
          'hasChanges',
          'planId',
          'summary',
          'summaryText',
        ]);
        expect(output.hasChanges).toBe(true);
        const plan = await t.runner.getPlan(output.planId as string);
        expect(plan).toMatchObject({
          module: step.input!.module,
          workspace: step.input!.workspace,
          status: 'planned',
        });
        expect(output.summary).toEqual({
          add: plan!.summary.add,
          change: 0,
          destroy: 0,
          replace: 0,
          resources: plan!.summary.resources.map(r => ({
            address: r.address,
            action: 'create',
          })),
        });
      }
    },
  );

  it('logs progress, outputs the summary and is checkpointed per workspace', async () => {
    const action = createTerraformPlanAction(t.options);
    const task = new TestTask('task-1', t.logs);
    const input = {
      module: 'postgres-database',
      workspace: 'orders-db',
      owner: 'group:default/fulfilment',
      variables: {
        name: 'orders',
        owner: 'fulfilment',
        master_password: DB_PASSWORD,
      },
    };
    await action.handler(task.context('plan', input));
    const output = task.outputs.plan;
    expect(output.summaryText).toBe(
      'Plan: 4 to add, 0 to change, 0 to destroy.',
    );
    expect(output.summary).toEqual({
      add: 4,
      change: 0,
      destroy: 0,
      replace: 0,
      resources: [
        { address: 'aws_db_instance.this', action: 'create' },
        { address: 'aws_secretsmanager_secret.master', action: 'create' },
        {
          address: 'aws_secretsmanager_secret_version.master',
          action: 'create',
        },
        { address: 'random_password.master', action: 'create' },
      ],
    });
    expect(t.logs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^info 1\/4 resources planned: aws_db_instance\.this will create /,
        ),
        expect.stringMatching(
          /^info Plan: 4 to add, 0 to change, 0 to destroy\. /,
        ),
        expect.stringMatching(
          /^info {3}\+ aws_secretsmanager_secret\.master \(create\) /,
        ),
      ]),
    );
    expect([...task.checkpoints.keys()]).toEqual([
      'v1.task.checkpoint.plan.terraform.plan.orders-db.postgres-database',
    ]);
    const plan = await t.runner.getPlan(output.planId as string);
    expect(plan?.status).toBe('planned');

    // A retried task gets the saved plan back instead of planning again.
    const calls = t.fake.invocations().length;
    await action.handler(task.context('plan', input));
    expect(task.outputs.plan).toEqual(output);
    expect(t.fake.invocations()).toHaveLength(calls);

    const visible = JSON.stringify([
      t.logs,
      task.outputs,
      [...task.checkpoints],
    ]);
    expect(visible).not.toContain(DB_PASSWORD);
    expect(visible).not.toContain(PROVIDER_SECRET);
  });

  it('keeps the task log short for a 5,000-resource plan, and every resource in the output', async () => {
    t.fake.setScenario({
      resources: Array.from({ length: 5000 }, (_, i) => ({
        address: `aws_s3_object.o${i}`,
        values: { key: `objects/${i}`, bucket: '${var.name}' },
      })),
    });
    const task = new TestTask('task-large', t.logs);
    await createTerraformPlanAction(t.options).handler(
      task.context('plan', {
        module: 'object-bucket',
        workspace: 'large-bucket',
        owner: 'group:default/fulfilment',
        variables: { name: 'large-bucket', owner: 'billing' },
      }),
    );
    const summary = task.outputs.plan.summary as { resources: unknown[] };
    expect(summary.resources).toHaveLength(5000);
    expect(summary.resources[4999]).toEqual({
      address: 'aws_s3_object.o999',
      action: 'create',
    });
    const planLines = t.logs.filter(l => l.includes('"stepId":"plan"'));
    // Not the 10,000 of one progress line and one summary line each.
    expect(planLines.length).toBeLessThan(160);
    expect(planLines).toContainEqual(
      expect.stringMatching(/^info 5000\/5000 resources planned /),
    );
    expect(planLines).toContainEqual(
      expect.stringMatching(
        /^info {3}\.\.\. and 4,950 more \(the plan summary lists every resource\): \+ 4,950 aws_s3_object \(create\) /,
      ),
    );

    // The review step lists the same way, and says so.
    const review = await createTerraformReviewAction({
      runner: t.runner,
      approvals: new InMemoryApprovals(),
    })
      .handler(
        task.context('review', { planId: task.outputs.plan.planId as string }),
      )
      .catch(e => e);
    expect(review.message).toContain(
      'Plan: 5000 to add, 0 to change, 0 to destroy. The task log above lists destroys and replacements first, then the other changes up to 50 lines, and counts the rest.',
    );
    const reviewLines = t.logs.filter(l => l.includes('"stepId":"review"'));
    // The summary, 50 resources, the count of the rest, the approval's link.
    expect(reviewLines).toHaveLength(1 + 50 + 1 + 1);
  });

  it('runs nothing in a dry run: no terraform, no lock, no owner recorded; says what it would plan', async () => {
    const action = createTerraformPlanAction(t.options);
    // Another run holds the workspace: a real plan would wait for it or fail.
    const lease = {
      workspace: 'orders-db',
      holder: 'replica-x/run-x',
      host: 'x',
      run_id: 'run-x',
      operation: 'apply',
      acquired_at: Date.now(),
      expires_at: Date.now() + 60_000,
    };
    await t.knex('paved_terraform__workspace_leases').insert(lease);
    const task = new TestTask('dry-run-task', t.logs, {
      user: TEST_USERS.teamB,
    });
    const started = Date.now();
    await action.handler(
      task.context(
        'plan',
        {
          module: 'postgres-database',
          workspace: 'orders-db',
          owner: TEST_GROUPS.teamB,
          variables: {
            name: 'orders',
            owner: 'fulfilment',
            master_password: DB_PASSWORD,
          },
        },
        { isDryRun: true },
      ),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(t.fake.invocations()).toEqual([]);
    const leases = await t.knex('paved_terraform__workspace_leases');
    expect(leases.map(l => [l.workspace, l.run_id])).toEqual([
      ['orders-db', 'run-x'],
    ]);
    expect(await t.knex('paved_terraform__plans')).toEqual([]);
    await expect(t.runner.getWorkspaceOwner('orders-db')).resolves.toBe(
      undefined,
    );
    expect(task.outputs.plan).toEqual({
      planId: '',
      hasChanges: false,
      summaryText:
        'Dry run: would plan module postgres-database in workspace orders-db; nothing was planned.',
      summary: { add: 0, change: 0, destroy: 0, replace: 0, resources: [] },
    });
    expect(t.logs).toContainEqual(
      expect.stringMatching(
        /^info Dry run: would plan module postgres-database in workspace orders-db with variables \{"name":"orders","owner":"fulfilment","master_password":"\(sensitive value\)"/,
      ),
    );
    expect(t.logs).toContainEqual(
      expect.stringMatching(
        /^info Dry run: owner check passed: the workspace would be recorded as owned by group:default\/fulfilment, and user:default\/jonas-weber may plan it /,
      ),
    );
    expect(JSON.stringify([t.logs, task.outputs])).not.toContain(DB_PASSWORD);
    expect(task.checkpoints.size).toBe(0);
    expect(t.options.auditor.createEvent).not.toHaveBeenCalled();
  });

  it('says in a dry run that the owner check would refuse, running nothing', async () => {
    await t.runner.recordWorkspaceOwner({
      workspace: 'orders-db',
      ownerRef: TEST_GROUPS.teamA,
    });
    const task = new TestTask('dry-run-b', t.logs, { user: TEST_USERS.teamB });
    await expect(
      createTerraformPlanAction(t.options).handler(
        task.context(
          'plan',
          {
            module: 'postgres-database',
            workspace: 'orders-db',
            owner: TEST_GROUPS.teamB,
            variables: { name: 'orders', owner: 'fulfilment' },
          },
          { isDryRun: true },
        ),
      ),
    ).rejects.toThrow(
      'user:default/jonas-weber may not plan terraform workspace orders-db: it is owned by group:default/storefront',
    );
    expect(t.logs).toContainEqual(
      expect.stringMatching(
        /^info Dry run: the owner check refuses: user:default\/jonas-weber may not plan/,
      ),
    );
    expect(t.fake.invocations()).toEqual([]);
  });

  it('fails with a clear error on bad input, running nothing', async () => {
    const action = createTerraformPlanAction(t.options);
    const task = new TestTask('task-bad', t.logs);
    await expect(
      action.handler(
        task.context('plan', {
          module: 'postgres-database',
          workspace: 'orders-db',
          owner: 'group:default/fulfilment',
          variables: { name: 'orders', owner: 'fulfilment', multi_az: 'yes' },
        }),
      ),
    ).rejects.toThrow(
      'Invalid variables for module "postgres-database": variables.multi_az: expected a bool, got a string',
    );
    expect(t.fake.invocations()).toEqual([]);
    expect(Object.keys(task.outputs.plan)).toEqual([]);
  });
});
