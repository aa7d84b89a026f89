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
    // As the first paved:terraform:plan of the workspace records it.
    await t.runner.recordWorkspaceOwner({
      workspace: 'kestrel-invoices',
      ownerRef: 'group:default/fulfilment',
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const task = new TestTask('task-destroy', t.logs);
      await runExampleSteps(
        parseTemplateExampleSteps(example),
        [createTerraformDestroyAction(t.options)],
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

  it('runs nothing in a dry run: no terraform, no lock', async () => {
    const task = new TestTask('task-dry', t.logs);
    const calls = t.fake.invocations().length;
    await createTerraformDestroyAction(t.options).handler(
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
    expect(task.outputs.destroy).toEqual({
      destroyed: 0,
      resources: [],
      summaryText:
        'Dry run: nothing destroyed. A real run would destroy every resource of workspace kestrel-invoices (module object-bucket, owned by group:default/fulfilment); terraform is not run and the workspace is not locked.',
    });
    expect(t.fake.invocations()).toHaveLength(calls);
    expect(t.options.auditor.createEvent).not.toHaveBeenCalled();
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
