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

describeWithRunner('paved:terraform:review', t => {
  beforeEach(async () => {
    // The bucket module as declared.
    t.fake.setScenario({});
  });

  const actions = () => [
    createTerraformPlanAction(t.options),
    createTerraformReviewAction({ runner: t.runner }),
    createTerraformApplyAction(t.options),
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

    // Retry: same task, same checkpoints, the secrets a Retry gives.
    const planCalls = t.fake.invocations().filter(i => i.argv[0] === 'plan');
    await task.retry();
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

  const REVIEW_MESSAGE =
    /^Review the plan, then approve it\. Plan: 6 to add, 0 to change, 0 to destroy\. .* press Retry before /;
  const applies = () => t.fake.invocations().filter(i => i.argv[0] === 'apply');

  it('stops again when the task is recovered under the token it stopped under, keeping only a digest of it', async () => {
    const steps = parseTemplateExampleSteps(examples[0].example);
    const task = new TestTask('task-recovered', t.logs);
    const token = task.secrets.backstageToken!;
    const first = await runExampleSteps(steps, actions(), task).catch(e => e);
    expect(first.message).toMatch(REVIEW_MESSAGE);
    const planId = task.outputs.plan.planId as string;

    // The backend stopped before the task ended; another one resumes it with
    // the task's stored secrets, twice.
    for (const _ of [1, 2]) {
      const again = await runExampleSteps(steps, actions(), task).catch(e => e);
      expect(again.name).toBe('PlanReviewRequiredError');
      expect(again.message).toBe(first.message);
    }
    expect(applies()).toEqual([]);
    expect((await t.runner.getPlan(planId))?.status).toBe('planned');
    expect(task.outputs.review).toEqual({});
    expect(
      t.logs.filter(l =>
        l.startsWith(
          `info Plan ${planId} is not approved: the task was resumed after its backend stopped, not retried by a person (it stopped for review at `,
        ),
      ),
    ).toHaveLength(2);
    expect(t.logs.join('\n')).not.toContain(' approved: the task was retried');

    const stop = task.checkpoints.get(
      `v1.task.checkpoint.review.terraform.review.${planId}.stop`,
    );
    expect(stop).toEqual({
      status: 'success',
      value: {
        tokenSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        requestedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
    expect(JSON.stringify([...task.checkpoints, t.logs])).not.toContain(token);
  });

  it('approves on a Retry, and a recovery after the approval (a crash during apply) still applies exactly that plan', async () => {
    const steps = parseTemplateExampleSteps(examples[0].example);
    const task = new TestTask('task-approved', t.logs);
    await expect(runExampleSteps(steps, actions(), task)).rejects.toThrow(
      REVIEW_MESSAGE,
    );
    const planId = task.outputs.plan.planId as string;
    await task.retry();
    t.fake.setScenario({ apply: { crashAfter: 2 } });
    await expect(runExampleSteps(steps, actions(), task)).rejects.toThrow(
      'after applying 2 of 6 change(s)',
    );
    const stoppedAt = task.outputs.review.reviewRequestedAt as string;
    expect(task.outputs.review).toEqual({
      approved: true,
      reviewRequestedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    // The backend died during apply: recovered, the task keeps the Retry's
    // secrets, so the review still approves and apply resumes the plan.
    t.fake.setScenario({});
    await runExampleSteps(steps, actions(), task);
    expect(task.outputs.review).toEqual({
      approved: true,
      reviewRequestedAt: stoppedAt,
    });
    expect(task.outputs.apply).toMatchObject({ applied: true, added: 6 });
    expect((await t.runner.getPlan(planId))?.status).toBe('applied');
    expect(
      t.logs.filter(l =>
        l.startsWith(
          `info Plan ${planId} approved: the task was retried after it stopped for review at ${stoppedAt}`,
        ),
      ),
    ).toHaveLength(2);
    // The reviewed plan was made once; apply resumed it where it crashed.
    expect(
      t.fake.invocations().filter(i => i.argv.includes('-out=paved.tfplan')),
    ).toHaveLength(1);
    expect(t.logs).toContainEqual(
      expect.stringContaining(`Resuming plan ${planId}`),
    );
  });

  it('fails closed without a backstageToken: nothing stops for review, nothing is approved', async () => {
    const missing =
      /^secrets\.backstageToken: the task has none, so a person's Retry \(the approval of plan [0-9a-f-]{36}\) cannot be told from the automatic recovery of a task whose backend stopped; the plan is not approved\. /;
    const steps = parseTemplateExampleSteps(examples[0].example);
    const task = new TestTask('task-tokenless', t.logs, { secrets: {} });
    const error = await runExampleSteps(steps, actions(), task).catch(e => e);
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toMatch(missing);
    expect(
      [...task.checkpoints.keys()].filter(k => k.includes('terraform.review')),
    ).toEqual([]);

    // A task that stopped for review, retried with an empty token (what
    // Backstage mints with the default auth policy disabled).
    const stopped = new TestTask('task-stopped', t.logs);
    await expect(runExampleSteps(steps, actions(), stopped)).rejects.toThrow(
      REVIEW_MESSAGE,
    );
    stopped.secrets = { backstageToken: '' };
    await expect(runExampleSteps(steps, actions(), stopped)).rejects.toThrow(
      missing,
    );
    expect(applies()).toEqual([]);
    expect(stopped.outputs.review).toEqual({});
  });

  it('refuses to approve a plan that expired while waiting', async () => {
    let now = Date.now();
    const review = createTerraformReviewAction({
      runner: t.runner,
      now: () => now,
    });
    const task = new TestTask('task-late', t.logs);
    await createTerraformPlanAction(t.options).handler(
      task.context('plan', {
        module: 'object-bucket',
        workspace: 'late-bucket',
        owner: 'group:default/fulfilment',
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
    await createTerraformPlanAction(t.options).handler(
      task.context('plan', {
        module: 'object-bucket',
        workspace: 'same-bucket',
        owner: 'group:default/fulfilment',
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

    // A dry run's plan step plans nothing and says it has no changes, so
    // a template's review step (`if: hasChanges`) is left out.
    const dry = new TestTask('task-dry', t.logs);
    await createTerraformPlanAction(t.options).handler(
      dry.context(
        'plan',
        {
          module: 'object-bucket',
          workspace: 'dry-bucket',
          owner: 'group:default/fulfilment',
          variables,
        },
        { isDryRun: true },
      ),
    );
    expect(dry.outputs.plan).toMatchObject({ planId: '', hasChanges: false });
    expect(
      [...dry.checkpoints.keys()].filter(k => k.includes('terraform.review')),
    ).toEqual([]);
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
