import {
  ConflictError,
  CustomErrorBase,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  ApprovalRequest,
  ApprovalsService,
} from '@paved/plugin-approvals-node';
import {
  planSummaryLines,
  TerraformPlan,
  TerraformRunner,
} from '@paved/plugin-terraform-node';
import { examples } from './terraformReview.examples';
import { Zod } from './zod';

/**
 * The task stopped until a member of the workspace's owning group decides
 * the plan on the approvals page.
 *
 * @public
 */
export class PlanReviewRequiredError extends CustomErrorBase {
  name = 'PlanReviewRequiredError' as const;
}

/**
 * A person of the owning group rejected the plan: the task ends with their
 * reason.
 *
 * @public
 */
export class PlanRejectedError extends CustomErrorBase {
  name = 'PlanRejectedError' as const;
}

/** Resources listed one per line in the task log; the rest are counted. */
const PLAN_LINES = 50;

function minuteUtc(iso: string) {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function checkStillApplicable(plan: TerraformPlan, now: number) {
  const gone = ['discarded', 'expired', 'stale'].includes(plan.status);
  if (gone || now > Date.parse(plan.expiresAt)) {
    throw new ConflictError(
      `planId: plan ${plan.planId} can no longer be applied (${
        gone ? plan.status : `it expired at ${minuteUtc(plan.expiresAt)}`
      }); run the template again to make and review a new plan`,
    );
  }
}

const input = {
  planId: (z: Zod) =>
    z
      .string()
      .describe('The plan to review: ${{ steps.<plan step>.output.planId }}.'),
};

const output = {
  approved: (z: Zod) =>
    z
      .boolean()
      .describe(
        'True once a member of the owning group approved the plan on the approvals page; false in a dry run or when the plan changes nothing.',
      ),
  approvedBy: (z: Zod) =>
    z
      .string()
      .describe('Who approved the plan (user entity ref); empty otherwise.'),
  approvedAt: (z: Zod) =>
    z
      .string()
      .describe('When the plan was approved (ISO 8601); empty otherwise.'),
  reviewRequestedAt: (z: Zod) =>
    z
      .string()
      .describe(
        'When the approval was requested (ISO 8601); empty when nothing was reviewed.',
      ),
  approvalUrl: (z: Zod) =>
    z
      .string()
      .describe(
        'The request on the approvals page; empty when nothing was reviewed.',
      ),
};

type ReviewContext = Pick<
  ActionContext<any, any>,
  'logger' | 'output' | 'checkpoint' | 'user' | 'task' | 'step'
>;

/**
 * `paved:terraform:review`: the approval between `paved:terraform:plan` and
 * `paved:terraform:apply`. The scaffolder cannot pause a running task, so
 * the first run asks the group that owns the workspace (its recorded owner)
 * to approve the plan through the approvals backend, logs the link, and
 * stops the task. A member of that group other than the requester decides
 * on the approvals page; the approvals backend then resumes the task, and
 * this step lets an approved plan through or ends the task with the
 * rejection's reason. Until then, running the task again (a Retry, a
 * recovery) stops it again: pressing Retry approves nothing.
 *
 * @public
 */
export function createTerraformReviewAction(options: {
  runner: TerraformRunner;
  approvals: ApprovalsService;
  /** The clock, for tests. */
  now?: () => number;
}) {
  const { runner, approvals } = options;
  const now = options.now ?? Date.now;
  return createTemplateAction({
    id: 'paved:terraform:review',
    description:
      'Asks the group that owns the workspace to approve the saved plan of an earlier paved:terraform:plan step, and stops the task until a member other than the requester approves or rejects it on the approvals page; a later paved:terraform:apply step then applies exactly that plan. Retrying the task approves nothing.',
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const { planId } = ctx.input;
      const plan = await runner.getPlan(planId);
      if (!plan) throw new NotFoundError(`planId: no saved plan ${planId}`);
      if (!plan.hasChanges) {
        ctx.logger.info(`Plan ${planId} changes nothing: nothing to review`);
        notReviewed(ctx);
        return;
      }
      ctx.logger.info(`Plan ${planId} to review: ${plan.summary.text}`);
      for (const line of planSummaryLines(plan.summary, PLAN_LINES)) {
        ctx.logger.info(line);
      }
      const owner = await runner.getWorkspaceOwner(plan.workspace);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: a real run asks ${
            owner?.ownerRef ?? 'the group that owns the workspace'
          } to approve plan ${planId}, and stops until a member other than ${
            ctx.user?.ref ?? 'the requester'
          } approves it on the approvals page`,
        );
        notReviewed(ctx);
        return;
      }
      checkStillApplicable(plan, now());
      if (!owner) {
        throw new ConflictError(
          `terraform workspace ${plan.workspace} has no recorded owner, so no group can approve plan ${planId}; run the template again: its plan step records the owner`,
        );
      }
      const request = await askOnce(ctx, approvals, plan, owner.ownerRef);
      decided(ctx, plan, request);
    },
  });
}

/** The outputs of a step that had nothing to review. */
function notReviewed(ctx: Pick<ReviewContext, 'output'>) {
  ctx.output('approved', false);
  ctx.output('approvedBy', '');
  ctx.output('approvedAt', '');
  ctx.output('reviewRequestedAt', '');
  ctx.output('approvalUrl', '');
}

/**
 * The request for this plan with its decision: asked once (a checkpoint,
 * and the approvals backend keeps one request per task and plan), read
 * again on every later run.
 */
async function askOnce(
  ctx: ReviewContext,
  approvals: ApprovalsService,
  plan: TerraformPlan,
  ownerRef: string,
): Promise<ApprovalRequest> {
  const requesterRef = ctx.user?.ref;
  if (!requesterRef) {
    throw new NotAllowedError(
      `user: the task has no user, so nobody can be told apart from the requester of plan ${plan.planId}; start the task as a signed-in user`,
    );
  }
  let asked: ApprovalRequest | undefined;
  const { requestId } = await ctx.checkpoint({
    key: `terraform.review.${plan.planId}.request`,
    fn: async () => {
      asked = await approvals.request({
        taskId: ctx.task.id,
        stepId: ctx.step?.id ?? 'review',
        kind: 'terraform-plan',
        subjectId: plan.planId,
        target: `terraform workspace ${plan.workspace}`,
        ownerRef,
        requesterRef,
        summary: plan.summary.text,
      });
      return { requestId: asked.id };
    },
  });
  const request = asked ?? (await approvals.get(requestId));
  if (!request) {
    throw new NotFoundError(
      `The approvals backend has no request ${requestId} for plan ${plan.planId}`,
    );
  }
  return request;
}

/** Lets an approved plan through; ends or stops the task otherwise. */
function decided(
  ctx: ReviewContext,
  plan: TerraformPlan,
  request: ApprovalRequest,
) {
  const { planId } = plan;
  if (request.status === 'rejected') {
    throw new PlanRejectedError(
      `Plan ${planId} rejected by ${request.decidedBy}: ${request.reason}`,
    );
  }
  if (request.status !== 'approved') {
    ctx.logger.info(
      `Waiting for approval by ${request.ownerRef}: ${request.url}`,
    );
    const listed =
      plan.summary.resources.length > PLAN_LINES
        ? `The task log above lists destroys and replacements first, then the other changes up to ${PLAN_LINES} lines, and counts the rest.`
        : 'The task log above lists each resource with its action.';
    throw new PlanReviewRequiredError(
      `Plan ${planId} awaits approval by a member of ${request.ownerRef} other than ${request.requesterRef}: ${request.url} ` +
        `${plan.summary.text} ${listed} The task resumes when it is decided; retrying it approves nothing. ` +
        `The plan expires at ${minuteUtc(plan.expiresAt)}.`,
    );
  }
  ctx.logger.info(
    `Plan ${planId} approved by ${request.decidedBy} at ${request.decidedAt}`,
  );
  ctx.output('approved', true);
  ctx.output('approvedBy', request.decidedBy ?? '');
  ctx.output('approvedAt', request.decidedAt ?? '');
  ctx.output('reviewRequestedAt', request.createdAt);
  ctx.output('approvalUrl', request.url);
}
