import {
  createMockDirectory,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { DefaultTerraformRunner } from '@paved/plugin-terraform-node';
import { FakeTerraform, parseTemplateExampleSteps } from '@paved/testkit';
import path from 'node:path';
import {
  createTestRunner,
  runExampleSteps,
  TestTask,
} from '../__testUtils__/createTestRunner';
import { createTerraformDestroyAction } from './terraformDestroy';
import { examples } from './terraformDestroy.examples';

jest.setTimeout(60_000);

describe('terraform:destroy', () => {
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
    // The bucket module as declared: its six resources.
    fake.setScenario({});
    const plan = await runner.plan({
      module: 'object-bucket',
      workspace: 'kestrel-invoices',
      variables: { name: 'kestrel-invoices', owner: 'billing' },
    });
    await runner.apply({ planId: plan.planId });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const task = new TestTask('task-destroy', logs);
      await runExampleSteps(
        parseTemplateExampleSteps(example),
        [createTerraformDestroyAction({ runner })],
        task,
      );
      expect(task.outputs.destroy).toMatchObject({
        destroyed: 6,
        summaryText: 'Destroy complete! Resources: 6 destroyed.',
      });
      expect(task.outputs.destroy.resources).toContainEqual({
        address: 'aws_s3_bucket.this',
        action: 'delete',
      });
      expect(await runner.output({ workspace: 'kestrel-invoices' })).toEqual(
        {},
      );
      expect([...task.checkpoints.keys()]).toEqual([
        'v1.task.checkpoint.destroy.terraform.destroy.kestrel-invoices.object-bucket',
      ]);
    },
  );

  it('only shows the destroy plan in a dry run', async () => {
    const task = new TestTask('task-dry', logs);
    await createTerraformDestroyAction({ runner }).handler(
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
    expect(fake.invocations().map(i => i.argv[0])).not.toContain('destroy');
    // Still there: the bucket's outputs and nothing left to change.
    expect(
      Object.keys(await runner.output({ workspace: 'kestrel-invoices' })),
    ).toEqual(['bucket_name', 'bucket_arn', 'bucket_regional_domain_name']);
    const state = await runner.plan({
      module: 'object-bucket',
      workspace: 'kestrel-invoices',
      variables: { name: 'kestrel-invoices', owner: 'billing' },
      discard: true,
    });
    expect(state.hasChanges).toBe(false);
  });
});
