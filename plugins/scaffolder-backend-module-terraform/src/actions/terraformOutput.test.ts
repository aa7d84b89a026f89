import { parseTemplateExampleSteps } from '@paved/testkit';
import {
  describeWithRunner,
  DB_PASSWORD,
  runExampleSteps,
  TestTask,
} from '../__testUtils__/createTestRunner';
import { createTerraformOutputAction } from './terraformOutput';
import { examples } from './terraformOutput.examples';

jest.setTimeout(60_000);

describeWithRunner('paved:terraform:output', t => {
  beforeEach(async () => {
    const plan = await t.runner.plan({
      module: 'postgres-database',
      workspace: 'orders-db',
      variables: {
        name: 'orders',
        owner: 'fulfilment',
        master_password: DB_PASSWORD,
      },
    });
    await t.runner.apply({ planId: plan.planId });
    // As the first paved:terraform:plan of the workspace records it.
    await t.runner.recordWorkspaceOwner({
      workspace: 'orders-db',
      ownerRef: 'group:default/fulfilment',
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const task = new TestTask('task-outputs', t.logs);
      const rendered = await runExampleSteps(
        parseTemplateExampleSteps(example),
        [createTerraformOutputAction(t.options)],
        task,
      );
      expect(task.outputs.outputs).toEqual({
        outputs: {
          database_name: 'orders',
          endpoint: expect.stringMatching(/^address-/),
        },
        sensitiveOutputs: ['master_password'],
      });
      // A later step reads a value.
      expect((rendered.log as any).message).toBe(
        `Database at ${(task.outputs.outputs.outputs as any).endpoint}`,
      );
      // The sensitive value is handed to the runner's callers only.
      expect(
        (await t.runner.output({ workspace: 'orders-db' })).master_password
          .value,
      ).toBe(DB_PASSWORD);
      expect(
        JSON.stringify([t.logs, task.outputs, [...task.checkpoints]]),
      ).not.toContain(DB_PASSWORD);
      expect(t.logs).toContainEqual(
        expect.stringMatching(
          /^info Read 3 output\(s\) of workspace orders-db \(sensitive, not shown: master_password\)/,
        ),
      );
      // A retried task gets the checkpoint back instead of asking terraform.
      const calls = t.fake.invocations().length;
      const first = task.outputs.outputs;
      await createTerraformOutputAction(t.options).handler(
        task.context('outputs', { workspace: 'orders-db' }),
      );
      expect(task.outputs.outputs).toEqual(first);
      expect(t.fake.invocations()).toHaveLength(calls);
    },
  );

  it('reads nothing in a dry run', async () => {
    const task = new TestTask('task-dry', t.logs);
    await createTerraformOutputAction(t.options).handler(
      task.context('outputs', { workspace: 'orders-db' }, { isDryRun: true }),
    );
    expect(task.outputs.outputs).toEqual({ outputs: {}, sensitiveOutputs: [] });
    expect(task.checkpoints.size).toBe(0);
  });
});
