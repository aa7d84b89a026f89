import { parseTemplateExampleSteps } from '@paved/testkit';
import fs from 'node:fs';
import path from 'node:path';
import {
  describeWithRunner,
  DB_PASSWORD,
  postgresScenario,
  PROVIDER_SECRET,
  runExampleSteps,
  TestTask,
} from '../__testUtils__/createTestRunner';
import { InMemoryApprovals } from '../__testUtils__/InMemoryApprovals';
import { createTerraformApplyAction } from './terraformApply';
import { examples } from './terraformApply.examples';
import { createTerraformPlanAction } from './terraformPlan';

jest.setTimeout(60_000);

const redisScenario = {
  resources: [
    {
      address: 'random_password.auth',
      values: { result: '${random}' },
      sensitive: ['result'],
    },
    {
      address: 'aws_elasticache_parameter_group.this',
      values: { name: '${var.name}-params' },
    },
    {
      address: 'aws_elasticache_replication_group.this',
      values: {
        replication_group_id: '${var.name}',
        node_type: '${var.node_type}',
      },
      forceNew: ['node_type'],
    },
  ],
};

describeWithRunner('paved:terraform:apply', t => {
  const variables = {
    name: 'orders',
    owner: 'fulfilment',
    master_password: DB_PASSWORD,
  };

  it('has a test below for each of its examples', () => {
    expect(examples.map(e => e.description)).toEqual([
      expect.stringMatching(/earlier paved:terraform:plan step/),
      expect.stringMatching(/replaces/),
    ]);
  });

  it('runs the example applying the plan of an earlier step', async () => {
    const task = new TestTask('task-example-1', t.logs);
    await runExampleSteps(
      parseTemplateExampleSteps(examples[0].example),
      [
        createTerraformPlanAction(t.options),
        createTerraformApplyAction(t.options),
      ],
      task,
    );
    expect(task.outputs.apply).toEqual({
      applied: true,
      added: 4,
      changed: 0,
      destroyed: 0,
      resources:
        task.outputs.plan.summary &&
        (task.outputs.plan.summary as any).resources,
      summaryText:
        'Apply complete! Resources: 4 added, 0 changed, 0 destroyed.',
    });
    expect(
      fs.existsSync(path.join(t.dir, 'work', 'orders-db', 'terraform.tfstate')),
    ).toBe(true);
  });

  it('runs the example allowing a replacement', async () => {
    t.fake.setScenario(redisScenario);
    const baseline = await t.runner.plan({
      module: 'redis-cache',
      workspace: 'orders-cache',
      variables: { name: 'orders-cache', owner: 'fulfilment' },
    });
    await t.runner.apply({ planId: baseline.planId });

    const task = new TestTask('task-example-2', t.logs);
    await runExampleSteps(
      parseTemplateExampleSteps(examples[1].example),
      [
        createTerraformPlanAction(t.options),
        createTerraformApplyAction(t.options),
      ],
      task,
    );
    expect(task.outputs.plan.summary).toMatchObject({
      add: 1,
      destroy: 1,
      replace: 1,
    });
    expect(task.outputs.apply).toMatchObject({
      applied: true,
      added: 1,
      destroyed: 1,
      resources: [
        {
          address: 'aws_elasticache_replication_group.this',
          action: 'replace',
        },
      ],
    });
  });

  it('refuses a plan that replaces resources unless allowDestroy is set', async () => {
    const plan = createTerraformPlanAction(t.options);
    const apply = createTerraformApplyAction(t.options);
    const first = new TestTask('task-first', t.logs);
    await plan.handler(
      first.context('plan', {
        module: 'postgres-database',
        workspace: 'orders-db',
        owner: 'group:default/fulfilment',
        variables,
      }),
    );
    await apply.handler(
      first.context('apply', {
        planId: first.outputs.plan.planId as string,
        allowDestroy: false,
      }),
    );

    const task = new TestTask('task-rename', t.logs);
    await plan.handler(
      task.context('plan', {
        module: 'postgres-database',
        workspace: 'orders-db',
        owner: 'group:default/fulfilment',
        variables: { ...variables, name: 'orders-v2' },
      }),
    );
    const planId = task.outputs.plan.planId as string;
    const error = await apply
      .handler(task.context('apply', { planId, allowDestroy: false }))
      .catch(e => e);
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toBe(
      `Plan ${planId} would destroy 1 resource(s) (aws_db_instance.this: replace); set allowDestroy to apply it`,
    );
    // A plan of another task is refused too.
    const other = new TestTask('task-other', t.logs);
    await expect(
      apply.handler(other.context('apply', { planId, allowDestroy: true })),
    ).rejects.toThrow(`planId: plan ${planId} belongs to another task`);
  });

  it('keeps the task log of a large apply short, counting past the first resources', async () => {
    t.fake.setScenario({
      resources: Array.from({ length: 300 }, (_, i) => ({
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
    await createTerraformApplyAction(t.options).handler(
      task.context('apply', {
        planId: task.outputs.plan.planId as string,
        allowDestroy: false,
      }),
    );
    expect(task.outputs.apply).toMatchObject({ applied: true, added: 300 });
    expect(task.outputs.apply.resources).toHaveLength(300);
    const applyLines = t.logs.filter(l => l.includes('"stepId":"apply"'));
    expect(applyLines.length).toBeLessThan(2 * 50 + 20);
    expect(applyLines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^info 100\/300 applied /),
        expect.stringMatching(/^info 300\/300 applied /),
      ]),
    );
  });

  it('stops before applying in a dry run', async () => {
    const task = new TestTask('task-dry', t.logs);
    const plan = createTerraformPlanAction(t.options);
    const apply = createTerraformApplyAction(t.options);
    await plan.handler(
      task.context('plan', {
        module: 'postgres-database',
        workspace: 'orders-db',
        owner: 'group:default/fulfilment',
        variables,
      }),
    );
    const calls = t.fake.invocations().length;
    await apply.handler(
      task.context(
        'apply',
        { planId: task.outputs.plan.planId as string, allowDestroy: false },
        { isDryRun: true },
      ),
    );
    expect(task.outputs.apply).toMatchObject({
      applied: false,
      added: 4,
      summaryText: 'Plan: 4 to add, 0 to change, 0 to destroy.',
    });
    expect(t.fake.invocations()).toHaveLength(calls);
    expect(await t.runner.output({ workspace: 'orders-db' })).toEqual({});
    expect(task.checkpoints.size).toBe(1);
  });

  it('applies nothing in a dry run whose plan step saved none', async () => {
    const task = new TestTask('task-dry-plan', t.logs);
    await createTerraformApplyAction(t.options).handler(
      task.context(
        'apply',
        { planId: '', allowDestroy: false },
        { isDryRun: true },
      ),
    );
    expect(task.outputs.apply).toMatchObject({
      applied: false,
      added: 0,
      summaryText: 'Dry run: nothing applied.',
    });
    expect(t.fake.invocations()).toEqual([]);
  });

  it('resumes a crashed apply when the task is retried, then returns the checkpoint', async () => {
    t.fake.setScenario(postgresScenario({ apply: { crashAfter: 2 } }));
    const plan = createTerraformPlanAction(t.options);
    const apply = createTerraformApplyAction(t.options);
    const task = new TestTask('task-crash', t.logs);
    await plan.handler(
      task.context('plan', {
        module: 'postgres-database',
        workspace: 'orders-db',
        owner: 'group:default/fulfilment',
        variables,
      }),
    );
    const planId = task.outputs.plan.planId as string;

    const error = await apply
      .handler(task.context('apply', { planId, allowDestroy: false }))
      .catch(e => e);
    expect(error.name).toBe('TerraformRunError');
    expect(error.message).toContain(
      'crashed (exit code 11) after applying 2 of 4 change(s)',
    );
    expect(
      task.checkpoints.get(`v1.task.checkpoint.apply.terraform.apply.${planId}`)
        ?.status,
    ).toBe('failed');

    // The retry of the task: the plan step's checkpoint returns the same plan,
    // the apply step resumes it.
    t.fake.setScenario(postgresScenario());
    await plan.handler(
      task.context('plan', {
        module: 'postgres-database',
        workspace: 'orders-db',
        owner: 'group:default/fulfilment',
        variables,
      }),
    );
    expect(task.outputs.plan.planId).toBe(planId);
    await apply.handler(task.context('apply', { planId, allowDestroy: false }));
    expect(task.outputs.apply).toMatchObject({ applied: true, added: 4 });
    expect(t.logs).toContainEqual(
      expect.stringContaining(`Resuming plan ${planId}`),
    );

    const calls = t.fake.invocations().length;
    await apply.handler(task.context('apply', { planId, allowDestroy: false }));
    expect(t.fake.invocations()).toHaveLength(calls);
    expect(task.outputs.apply).toMatchObject({ applied: true, added: 4 });

    const visible = JSON.stringify([
      t.logs,
      task.outputs,
      [...task.checkpoints],
      error.message,
    ]);
    expect(visible).not.toContain(DB_PASSWORD);
    expect(visible).not.toContain(PROVIDER_SECRET);
  });

  it('cancels terraform when the task is cancelled', async () => {
    const scenario = postgresScenario();
    scenario.resources![1].applyMs = 20_000;
    t.fake.setScenario(scenario);
    const task = new TestTask('task-cancel', t.logs);
    await createTerraformPlanAction(t.options).handler(
      task.context('plan', {
        module: 'postgres-database',
        workspace: 'orders-db',
        owner: 'group:default/fulfilment',
        variables,
      }),
    );
    const controller = new AbortController();
    const running = createTerraformApplyAction(t.options)
      .handler(
        task.context(
          'apply',
          { planId: task.outputs.plan.planId as string, allowDestroy: false },
          { signal: controller.signal },
        ),
      )
      .catch(e => e);
    while (!t.logs.some(l => l.includes('aws_db_instance.this: Creating...'))) {
      await new Promise(r => setTimeout(r, 20));
    }
    controller.abort();
    const error = await running;
    expect(error.message).toBe(
      'terraform apply in workspace orders-db was cancelled: it stopped after SIGINT; the state lock is released. Applied before it stopped: random_password.master (create). Retry to resume.',
    );
  });
});

describeWithRunner('paved:terraform:apply needs an approval', t => {
  async function planned(approvals: InMemoryApprovals) {
    const task = new TestTask('task-approval', t.logs);
    const [planStep] = parseTemplateExampleSteps(examples[0].example);
    await runExampleSteps(
      [planStep],
      [createTerraformPlanAction({ ...t.options, approvals })],
      task,
    );
    return { task, planId: task.outputs.plan.planId as string };
  }

  const applyCount = () =>
    t.fake.invocations().filter(i => i.argv[0] === 'apply').length;

  it('refuses a plan no one was asked to approve, and one still waiting, and applies it once approved', async () => {
    const approvals = new InMemoryApprovals();
    const { task, planId } = await planned(approvals);
    const apply = createTerraformApplyAction({ ...t.options, approvals });
    const run = () =>
      apply
        .handler(task.context('apply', { planId, allowDestroy: false }))
        .catch(e => e);

    const unasked = await run();
    expect(unasked.name).toBe('NotAllowedError');
    expect(unasked.message).toContain(
      `Plan ${planId} is not approved: a member of the workspace's owning group other than the requester approves a plan before it is applied; no one was asked`,
    );

    await approvals.request({
      taskId: 'task-approval',
      stepId: 'review',
      kind: 'terraform-plan',
      subjectId: planId,
      target: 'terraform workspace kestrel-orders-db',
      ownerRef: 'group:default/fulfilment',
      requesterRef: 'user:default/jonas-weber',
      summary: 'Plan: 1 to add',
    });
    const pending = await run();
    expect(pending.message).toContain(
      'it waits for approval at http://portal.test/approvals?request=request-1',
    );
    expect(applyCount()).toBe(0);

    await approvals.approve(planId);
    const applied = await run();
    expect(applied).toBeUndefined();
    expect(applyCount()).toBe(1);
  });

  it('never applies a rejected plan', async () => {
    const approvals = new InMemoryApprovals();
    const { task, planId } = await planned(approvals);
    const request = await approvals.request({
      taskId: 'task-approval',
      stepId: 'review',
      kind: 'terraform-plan',
      subjectId: planId,
      target: 'terraform workspace kestrel-orders-db',
      ownerRef: 'group:default/fulfilment',
      requesterRef: 'user:default/jonas-weber',
      summary: 'Plan: 1 to add',
    });
    approvals.decide(
      request.id,
      'rejected',
      'user:default/amara-nwosu',
      'wrong instance class',
    );
    const error = await createTerraformApplyAction({ ...t.options, approvals })
      .handler(task.context('apply', { planId, allowDestroy: false }))
      .catch(e => e);
    expect(error.message).toBe(
      `Plan ${planId} was rejected by user:default/amara-nwosu: wrong instance class; it is never applied`,
    );
    expect(applyCount()).toBe(0);
  });
});
