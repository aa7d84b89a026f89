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
  planSummaryLines,
  TerraformPlan,
  TerraformRunner,
} from '@paved/plugin-terraform-node';
import crypto from 'node:crypto';
import { examples } from './terraformReview.examples';
import { Zod } from './zod';

/**
 * The task stopped so that a person reviews a plan; retrying the task
 * approves it.
 *
 * @public
 */
export class PlanReviewRequiredError extends CustomErrorBase {
  name = 'PlanReviewRequiredError' as const;
}

/** Resources listed one per line in the task log; the rest are counted. */
const PLAN_LINES = 50;

function minuteUtc(iso: string) {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A one-way digest: the task's state may hold it, never the token. */
function sha256(value: string) {
  return crypto.createHash('sha256').update(value, 'utf8').digest('hex');
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
        'True once a person approved the plan by retrying the task; false in a dry run or when the plan changes nothing.',
      ),
  reviewRequestedAt: (z: Zod) =>
    z
      .string()
      .describe(
        'When the task stopped for review (ISO 8601); empty when nothing was reviewed.',
      ),
};

type ReviewContext = Pick<
  ActionContext<any, any>,
  'logger' | 'output' | 'secrets' | 'checkpoint'
>;

/**
 * `paved:terraform:review`: a manual "review plan" step between `paved:terraform:plan`
 * and `paved:terraform:apply`. The scaffolder cannot pause a running task, so the
 * step stops the task with the plan summary and asks for a retry; retrying
 * the task (the Retry button of templates with
 * `EXPERIMENTAL_recovery.EXPERIMENTAL_strategy: startOver`) is the approval:
 * the plan step hands back the same plan, this step lets it through, and
 * `paved:terraform:apply` applies exactly that plan.
 *
 * A task resumed by task recovery (its backend stopped) runs this step again
 * too, and writes the same `recovered` task event as a Retry. What tells them
 * apart is the task's `backstageToken` secret: a Retry replaces the task's
 * secrets with a token minted for that request, a recovery keeps the stored
 * ones. The stop records a SHA-256 digest of the token it stopped under
 * (never the token), and only a run under another token approves.
 *
 * @public
 */
export function createTerraformReviewAction(options: {
  runner: TerraformRunner;
  /** The clock, for tests. */
  now?: () => number;
}) {
  const { runner } = options;
  const now = options.now ?? Date.now;
  return createTemplateAction({
    id: 'paved:terraform:review',
    description:
      'Stops the task for a person to review the saved plan of an earlier paved:terraform:plan step. Retrying the task approves exactly that plan (a task resumed after its backend stopped stops again); a later paved:terraform:apply step then applies it.',
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
      if (ctx.isDryRun) {
        ctx.logger.info(
          'Dry run: a real run stops here until the plan is approved by retrying the task',
        );
        notReviewed(ctx);
        return;
      }
      checkStillApplicable(plan, now());
      const requestedAt = await approval(ctx, plan, now);
      ctx.logger.info(
        `Plan ${planId} approved: the task was retried after it stopped for review at ${requestedAt}`,
      );
      ctx.output('approved', true);
      ctx.output('reviewRequestedAt', requestedAt);
    },
  });
}

/** The outputs of a step that had nothing to review. */
function notReviewed(ctx: Pick<ReviewContext, 'output'>) {
  ctx.output('approved', false);
  ctx.output('reviewRequestedAt', '');
}

/**
 * When the task stopped for review of `plan`, once a person's Retry has
 * approved it; until then, stops the task with a PlanReviewRequiredError.
 */
async function approval(
  ctx: ReviewContext,
  plan: TerraformPlan,
  now: () => number,
): Promise<string> {
  const { planId } = plan;
  const token = ctx.secrets?.backstageToken;
  if (!token) {
    throw new NotAllowedError(
      `secrets.backstageToken: the task has none, so a person's Retry (the approval of plan ${planId}) cannot be told from the automatic recovery of a task whose backend stopped; the plan is not approved. ` +
        'Start the task as a signed-in user: the scaffolder gives every task and every Retry a backstageToken of its caller.',
    );
  }
  const tokenSha256 = sha256(token);
  // The first run stores the stop; a Retry or a recovery gets it back.
  // A stop stored without a digest (key terraform.review.<planId>) is
  // not read: such a task stops for review once more.
  let stoppedNow = false;
  const request = await ctx.checkpoint({
    key: `terraform.review.${planId}.stop`,
    fn: async () => {
      stoppedNow = true;
      return { tokenSha256, requestedAt: new Date(now()).toISOString() };
    },
  });
  if (request.tokenSha256 !== tokenSha256) return request.requestedAt;
  if (!stoppedNow) {
    ctx.logger.info(
      `Plan ${planId} is not approved: the task was resumed after its backend stopped, not retried by a person (it stopped for review at ${request.requestedAt}); it stops for review again`,
    );
  }
  throw reviewRequired(plan);
}

/** The stop that asks a person to review the plan and press Retry. */
function reviewRequired(plan: TerraformPlan): PlanReviewRequiredError {
  const listed =
    plan.summary.resources.length > PLAN_LINES
      ? `The task log above lists destroys and replacements first, then the other changes up to ${PLAN_LINES} lines, and counts the rest.`
      : 'The task log above lists each resource with its action.';
  return new PlanReviewRequiredError(
    `Review the plan, then approve it. ${plan.summary.text} ${listed} ` +
      `To apply exactly this plan, press Retry before ${minuteUtc(
        plan.expiresAt,
      )}; to drop it, do nothing: it expires then.`,
  );
}
