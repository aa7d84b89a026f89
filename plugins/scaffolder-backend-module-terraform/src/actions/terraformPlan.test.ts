import {
  createMockDirectory,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { FakeTerraform, parseTemplateExampleSteps } from '@paved/testkit';
import { DefaultTerraformRunner } from '@paved/plugin-terraform-node';
import path from 'node:path';
import {
  createTestRunner,
  DB_PASSWORD,
  PROVIDER_SECRET,
  runExampleSteps,
  TestTask,
} from '../__testUtils__/createTestRunner';
import { createTerraformPlanAction } from './terraformPlan';
import { examples } from './terraformPlan.examples';

jest.setTimeout(60_000);

describe('terraform:plan', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const mockDir = createMockDirectory();
  let runner: DefaultTerraformRunner;
  let fake: FakeTerraform;
  let logs: string[];
  let count = 0;

  beforeEach(async () => {
    logs = [];
    ({ runner, fake } = await createTestRunner({
      dir: path.join(mockDir.path, `case-${++count}`),
      knex: await databases.init('SQLITE_3'),
      logs,
    }));
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      // Without resources in the scenario, the stand-in plans what the module declares.
      fake.setScenario({});
      const action = createTerraformPlanAction({ runner });
      const task = new TestTask('task-examples', logs);
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
        const plan = await runner.getPlan(output.planId as string);
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
    const action = createTerraformPlanAction({ runner });
    const task = new TestTask('task-1', logs);
    const input = {
      module: 'postgres-database',
      workspace: 'orders-db',
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
    expect(logs).toEqual(
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
    const plan = await runner.getPlan(output.planId as string);
    expect(plan?.status).toBe('planned');

    // A retried task gets the saved plan back instead of planning again.
    const calls = fake.invocations().length;
    await action.handler(task.context('plan', input));
    expect(task.outputs.plan).toEqual(output);
    expect(fake.invocations()).toHaveLength(calls);

    const visible = JSON.stringify([logs, task.outputs, [...task.checkpoints]]);
    expect(visible).not.toContain(DB_PASSWORD);
    expect(visible).not.toContain(PROVIDER_SECRET);
  });

  it('shows the plan in a dry run and keeps nothing', async () => {
    const action = createTerraformPlanAction({ runner });
    const task = new TestTask('dry-run-task', logs);
    await action.handler(
      task.context(
        'plan',
        {
          module: 'postgres-database',
          workspace: 'orders-db',
          variables: { name: 'orders', owner: 'fulfilment' },
        },
        { isDryRun: true },
      ),
    );
    expect(task.outputs.plan.summaryText).toBe(
      'Plan: 4 to add, 0 to change, 0 to destroy.',
    );
    expect(
      (await runner.getPlan(task.outputs.plan.planId as string))?.status,
    ).toBe('discarded');
    expect(logs).toContainEqual(
      expect.stringMatching(
        /^info Dry run: plan [0-9a-f-]+ was shown and discarded; nothing will be applied /,
      ),
    );
  });

  it('fails with a clear error on bad input, running nothing', async () => {
    const action = createTerraformPlanAction({ runner });
    const task = new TestTask('task-bad', logs);
    await expect(
      action.handler(
        task.context('plan', {
          module: 'postgres-database',
          workspace: 'orders-db',
          variables: { name: 'orders', owner: 'fulfilment', multi_az: 'yes' },
        }),
      ),
    ).rejects.toThrow(
      'Invalid variables for module "postgres-database": variables.multi_az: expected a bool, got a string',
    );
    expect(fake.invocations()).toEqual([]);
    expect(Object.keys(task.outputs.plan)).toEqual([]);
  });
});
