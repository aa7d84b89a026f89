import { parseTemplateExampleSteps, TEST_USERS } from '@paved/testkit';
import { InMemoryApprovals } from '../__testUtils__/InMemoryApprovals';
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
  let approvals: InMemoryApprovals;
  beforeEach(async () => {
    // The bucket module as declared.
    t.fake.setScenario({});
    approvals = new InMemoryApprovals();
  });

  const actions = () => [
    createTerraformPlanAction(t.options),
    createTerraformReviewAction({ runner: t.runner, approvals }),
    // Apply reads the same approvals the review step asked: nothing is
    // approved until a person decides.
    createTerraformApplyAction({ ...t.options, approvals }),
  ];
  const applies = () => t.fake.invocations().filter(i => i.argv[0] === 'apply');
  const WAITING =
    /^Plan [0-9a-f-]{36} awaits approval by a member of group:default\/fulfilment other than user:default\/jonas-weber: http:\/\/portal\.test\/approvals\?request=request-1 Plan: 6 to add, 0 to change, 0 to destroy\. The task log above lists each resource with its action\. The task resumes when it is decided; retrying it approves nothing\. The plan expires at \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/;

  it('has a test below for each of its examples', () => {
    expect(examples).toHaveLength(1);
  });

  it('runs the example: asks the owning group, stops, and applies exactly the plan once a teammate approved it', async () => {
    const steps = parseTemplateExampleSteps(examples[0].example);
    const task = new TestTask('task-review', t.logs, {
      user: TEST_USERS.teamB,
    });
    const stopped = await runExampleSteps(steps, actions(), task).catch(e => e);
    expect(stopped.name).toBe('PlanReviewRequiredError');
    expect(stopped.message).toMatch(WAITING);
    const planId = task.outputs.plan.planId as string;
    expect(approvals.asked).toEqual([
      {
        taskId: 'task-review',
        stepId: 'review',
        kind: 'terraform-plan',
        subjectId: planId,
        target: 'terraform workspace kestrel-invoices',
        ownerRef: 'group:default/fulfilment',
        requesterRef: TEST_USERS.teamB,
        summary: 'Plan: 6 to add, 0 to change, 0 to destroy.',
      },
    ]);
    expect(t.logs).toContainEqual(
      expect.stringMatching(
        /^info Waiting for approval by group:default\/fulfilment: http:\/\/portal\.test\/approvals\?request=request-1 /,
      ),
    );
    expect(t.logs).toContainEqual(
      expect.stringMatching(/^info {3}\+ aws_s3_bucket\.this \(create\) /),
    );
    expect(applies()).toEqual([]);

    // A teammate approves on the approvals page; the backend resumes the task.
    approvals.decide('request-1', 'approved', 'user:default/amara-nwosu');
    const planCalls = t.fake.invocations().filter(i => i.argv[0] === 'plan');
    await task.retry();
    await runExampleSteps(steps, actions(), task);
    expect(t.fake.invocations().filter(i => i.argv[0] === 'plan')).toEqual(
      planCalls,
    );
    expect(approvals.asked).toHaveLength(1);
    expect(task.outputs.review).toEqual({
      approved: true,
      approvedBy: 'user:default/amara-nwosu',
      approvedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      reviewRequestedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      approvalUrl: 'http://portal.test/approvals?request=request-1',
    });
    expect(task.outputs.apply).toMatchObject({ applied: true, added: 6 });
    expect((await t.runner.getPlan(planId))?.status).toBe('applied');
    expect(t.logs).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^info Plan ${planId} approved by user:default/amara-nwosu at `,
        ),
      ),
    );
  });

  it('approves nothing on a Retry or a recovery without a decision: it stops again, asking once', async () => {
    const steps = parseTemplateExampleSteps(examples[0].example);
    const task = new TestTask('task-retried', t.logs, {
      user: TEST_USERS.teamB,
    });
    await expect(runExampleSteps(steps, actions(), task)).rejects.toThrow(
      WAITING,
    );
    const planId = task.outputs.plan.planId as string;
    // A Retry by the requester, by anyone, and a recovery with the same secrets.
    await task.retry(TEST_USERS.teamB);
    for (const _ of [1, 2]) {
      const again = await runExampleSteps(steps, actions(), task).catch(e => e);
      expect(again.name).toBe('PlanReviewRequiredError');
      expect(again.message).toMatch(WAITING);
      await task.retry();
    }
    expect(applies()).toEqual([]);
    expect((await t.runner.getPlan(planId))?.status).toBe('planned');
    expect(task.outputs.review).toEqual({});
    expect(approvals.requests.size).toBe(1);
    expect(approvals.asked).toHaveLength(1);
    expect(
      task.checkpoints.get(
        `v1.task.checkpoint.review.terraform.review.${planId}.request`,
      ),
    ).toEqual({ status: 'success', value: { requestId: 'request-1' } });
  });

  it('ends the task with the rejection and its reason, applying nothing', async () => {
    const steps = parseTemplateExampleSteps(examples[0].example);
    const task = new TestTask('task-rejected', t.logs, {
      user: TEST_USERS.teamB,
    });
    await expect(runExampleSteps(steps, actions(), task)).rejects.toThrow(
      WAITING,
    );
    const planId = task.outputs.plan.planId as string;
    approvals.decide(
      'request-1',
      'rejected',
      'user:default/amara-nwosu',
      'the bucket belongs in eu-west-1',
    );
    await task.retry();
    const error = await runExampleSteps(steps, actions(), task).catch(e => e);
    expect(error.name).toBe('PlanRejectedError');
    expect(error.message).toBe(
      `Plan ${planId} rejected by user:default/amara-nwosu: the bucket belongs in eu-west-1`,
    );
    expect(applies()).toEqual([]);
    expect(task.outputs.review).toEqual({});
  });

  it('refuses to ask for a plan that expired while waiting', async () => {
    let now = Date.now();
    const review = createTerraformReviewAction({
      runner: t.runner,
      approvals,
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
    ).rejects.toThrow(`Plan ${planId} awaits approval`);
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

  it('passes without asking when the plan changes nothing, and a dry run says what it would ask', async () => {
    const task = new TestTask('task-nochange', t.logs);
    const variables = { name: 'same-bucket', owner: 'billing' };
    const plan = createTerraformPlanAction(t.options);
    const review = createTerraformReviewAction({ runner: t.runner, approvals });
    const planInput = {
      module: 'object-bucket',
      workspace: 'same-bucket',
      owner: 'group:default/fulfilment',
      variables,
    };
    const first = await t.runner.plan({
      module: 'object-bucket',
      workspace: 'same-bucket',
      variables,
    });
    await t.runner.apply({ planId: first.planId });
    await plan.handler(task.context('plan', planInput));
    await review.handler(
      task.context('review', { planId: task.outputs.plan.planId as string }),
    );
    const notReviewed = {
      approved: false,
      approvedBy: '',
      approvedAt: '',
      reviewRequestedAt: '',
      approvalUrl: '',
    };
    expect(task.outputs.review).toEqual(notReviewed);

    // A saved plan with changes, reviewed in a dry run: nothing is asked.
    const dry = new TestTask('task-dry', t.logs, { user: TEST_USERS.teamB });
    await plan.handler(
      dry.context('plan', {
        ...planInput,
        workspace: 'dry-bucket',
        variables: { name: 'dry-bucket', owner: 'billing' },
      }),
    );
    await review.handler(
      dry.context(
        'review',
        { planId: dry.outputs.plan.planId as string },
        { isDryRun: true },
      ),
    );
    expect(dry.outputs.review).toEqual(notReviewed);
    expect(approvals.asked).toEqual([]);
    expect(
      [...dry.checkpoints.keys()].filter(k => k.includes('terraform.review')),
    ).toEqual([]);
    expect(t.logs).toContainEqual(
      expect.stringMatching(
        /^info Dry run: a real run asks group:default\/fulfilment to approve plan [0-9a-f-]{36}, and stops until a member other than user:default\/jonas-weber approves it on the approvals page/,
      ),
    );
  });

  it('says when the plan does not exist', async () => {
    const task = new TestTask('task-missing', t.logs);
    await expect(
      createTerraformReviewAction({ runner: t.runner, approvals }).handler(
        task.context('review', {
          planId: '00000000-0000-4000-8000-000000000000',
        }),
      ),
    ).rejects.toThrow(
      'planId: no saved plan 00000000-0000-4000-8000-000000000000',
    );
  });
});
