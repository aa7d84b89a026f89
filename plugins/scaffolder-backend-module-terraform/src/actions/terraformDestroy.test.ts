import { parseTemplateExampleSteps } from '@paved/testkit';
import {
  describeWithRunner,
  runExampleSteps,
  TestTask,
} from '../__testUtils__/createTestRunner';
import { createTerraformDestroyAction } from './terraformDestroy';
import { examples } from './terraformDestroy.examples';

jest.setTimeout(60_000);

describeWithRunner('paved:terraform:destroy', t => {
  beforeEach(async () => {
    // The bucket module as declared: its six resources.
    t.fake.setScenario({});
    const plan = await t.runner.plan({
      module: 'object-bucket',
      workspace: 'kestrel-invoices',
      variables: { name: 'kestrel-invoices', owner: 'billing' },
    });
    await t.runner.apply({ planId: plan.planId });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const task = new TestTask('task-destroy', t.logs);
      await runExampleSteps(
        parseTemplateExampleSteps(example),
        [createTerraformDestroyAction({ runner: t.runner })],
        task,
      );
      expect(task.outputs.destroy).toMatchObject({
        destroyed: 6,
        summaryText: 'Destroy complete! Resources: 6 destroyed.',
      });
      // Its progress, in the task log.
      expect(t.logs).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^info Destroying module object-bucket in workspace kestrel-invoices /,
          ),
          expect.stringMatching(
            /^info \d\/6 applied: aws_s3_bucket\.this: Destruction complete/,
          ),
          expect.stringMatching(
            /^info Destroy complete! Resources: 6 destroyed\. /,
          ),
        ]),
      );
      expect(task.outputs.destroy.resources).toContainEqual({
        address: 'aws_s3_bucket.this',
        action: 'delete',
      });
      expect(await t.runner.output({ workspace: 'kestrel-invoices' })).toEqual(
        {},
      );
      expect([...task.checkpoints.keys()]).toEqual([
        'v1.task.checkpoint.destroy.terraform.destroy.kestrel-invoices.object-bucket',
      ]);
    },
  );

  it('only shows the destroy plan in a dry run', async () => {
    const task = new TestTask('task-dry', t.logs);
    await createTerraformDestroyAction({ runner: t.runner }).handler(
      task.context(
        'destroy',
        {
          module: 'object-bucket',
          workspace: 'kestrel-invoices',
          variables: { name: 'kestrel-invoices', owner: 'billing' },
        },
        { isDryRun: true },
      ),
    );
    expect(task.outputs.destroy).toMatchObject({
      destroyed: 6,
      summaryText: 'Plan: 0 to add, 0 to change, 6 to destroy.',
    });
    expect(t.fake.invocations().map(i => i.argv[0])).not.toContain('destroy');
    // Still there: the bucket's outputs and nothing left to change.
    expect(
      Object.keys(await t.runner.output({ workspace: 'kestrel-invoices' })),
    ).toEqual(['bucket_name', 'bucket_arn', 'bucket_regional_domain_name']);
    const state = await t.runner.plan({
      module: 'object-bucket',
      workspace: 'kestrel-invoices',
      variables: { name: 'kestrel-invoices', owner: 'billing' },
      discard: true,
    });
    expect(state.hasChanges).toBe(false);
  });
});
