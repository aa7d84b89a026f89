import { parseTemplateExampleSteps } from '@paved/testkit';
import {
  describeWithRunner,
  runExampleSteps,
  TestTask,
} from '../__testUtils__/createTestRunner';
import { createTerraformApplyAction } from './terraformApply';
import { createTerraformPlanAction } from './terraformPlan';
import { createTerraformReviewAction } from './terraformReview';
import { examples } from './terraformReview.examples';

jest.setTimeout(60_000);

describeWithRunner('terraform:review', t => {
  beforeEach(async () => {
    // The bucket module as declared.
    t.fake.setScenario({});
  });

  const actions = () => [
    createTerraformPlanAction({ runner: t.runner }),
    createTerraformReviewAction({ runner: t.runner }),
    createTerraformApplyAction({ runner: t.runner }),
  ];

  it('has a test below for each of its examples', () => {
    expect(examples).toHaveLength(1);
  });

  it('runs the example: stops for review, and the retried task applies exactly the plan', async () => {
    const steps = parseTemplateExampleSteps(examples[0].example);
    const task = new TestTask('task-review', t.logs);
    const stopped = await runExampleSteps(steps, actions(), task).catch(e => e);
    expect(stopped.name).toBe('PlanReviewRequiredError');
    const planId = task.outputs.plan.planId as string;
    const plan = (await t.runner.getPlan(planId))!;
    expect(stopped.message).toBe(
      `Review the plan, then approve it. Plan: 6 to add, 0 to change, 0 to destroy. The task log above lists each resource with its action. To apply exactly this plan, press Retry before ${plan.expiresAt.slice(
        0,
        10,
      )} ${plan.expiresAt.slice(
        11,
        16,
      )} UTC; to drop it, do nothing: it expires then.`,
    );
    expect(t.logs).toContainEqual(
      expect.stringMatching(/^info {3}\+ aws_s3_bucket\.this \(create\) /),
    );
    expect(t.fake.invocations().map(i => i.argv[0])).not.toContain('apply');
    expect(plan.status).toBe('planned');

    // Retry: same task, same checkpoints.
    const planCalls = t.fake.invocations().filter(i => i.argv[0] === 'plan');
    await runExampleSteps(steps, actions(), task);
    expect(t.fake.invocations().filter(i => i.argv[0] === 'plan')).toEqual(
      planCalls,
    );
    expect(task.outputs.review).toEqual({
      approved: true,
      reviewRequestedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(task.outputs.apply).toMatchObject({ applied: true, added: 6 });
    expect((await t.runner.getPlan(planId))?.status).toBe('applied');
    expect(t.logs).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^info Plan ${planId} approved: the task was retried after it stopped for review at `,
        ),
      ),
    );
  });

  it('refuses to approve a plan that expired while waiting', async () => {
    let now = Date.now();
    const review = createTerraformReviewAction({
      runner: t.runner,
      now: () => now,
    });
    const task = new TestTask('task-late', t.logs);
    await createTerraformPlanAction({ runner: t.runner }).handler(
      task.context('plan', {
        module: 'object-bucket',
        workspace: 'late-bucket',
        variables: { name: 'late-bucket', owner: 'billing' },
      }),
    );
    const planId = task.outputs.plan.planId as string;
    await expect(
      review.handler(task.context('review', { planId })),
    ).rejects.toThrow('Review the plan, then approve it.');
    now += 2 * 3_600_000;
    const plan = (await t.runner.getPlan(planId))!;
    await expect(
      review.handler(task.context('review', { planId })),
    ).rejects.toThrow(
      `planId: plan ${planId} can no longer be applied (it expired at ${plan.expiresAt.slice(
        0,
        10,
      )} ${plan.expiresAt.slice(
        11,
        16,
      )} UTC); run the template again to make and review a new plan`,
    );
    expect(Object.keys(task.outputs.review)).toEqual([]);
  });

  it('passes without stopping when the plan changes nothing, and in a dry run', async () => {
    const task = new TestTask('task-nochange', t.logs);
    const variables = { name: 'same-bucket', owner: 'billing' };
    const first = await t.runner.plan({
      module: 'object-bucket',
      workspace: 'same-bucket',
      variables,
    });
    await t.runner.apply({ planId: first.planId });
    await createTerraformPlanAction({ runner: t.runner }).handler(
      task.context('plan', {
        module: 'object-bucket',
        workspace: 'same-bucket',
        variables,
      }),
    );
    const review = createTerraformReviewAction({ runner: t.runner });
    await review.handler(
      task.context('review', { planId: task.outputs.plan.planId as string }),
    );
    expect(task.outputs.review).toEqual({
      approved: false,
      reviewRequestedAt: '',
    });

    const dry = new TestTask('task-dry', t.logs);
    await createTerraformPlanAction({ runner: t.runner }).handler(
      dry.context(
        'plan',
        { module: 'object-bucket', workspace: 'dry-bucket', variables },
        { isDryRun: true },
      ),
    );
    await review.handler(
      dry.context(
        'review',
        { planId: dry.outputs.plan.planId as string },
        { isDryRun: true },
      ),
    );
    expect(dry.outputs.review).toEqual({
      approved: false,
      reviewRequestedAt: '',
    });
    expect(
      [...dry.checkpoints.keys()].filter(k => k.includes('terraform.review')),
    ).toEqual([]);
    expect(t.logs).toContainEqual(
      expect.stringMatching(
        /^info Dry run: a real run stops here until the plan is approved by retrying the task/,
      ),
    );
  });

  it('says when the plan does not exist', async () => {
    const task = new TestTask('task-missing', t.logs);
    await expect(
      createTerraformReviewAction({ runner: t.runner }).handler(
        task.context('review', {
          planId: '00000000-0000-4000-8000-000000000000',
        }),
      ),
    ).rejects.toThrow(
      'planId: no saved plan 00000000-0000-4000-8000-000000000000',
    );
  });
});
