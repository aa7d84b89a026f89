import {
  ConflictError,
  CustomErrorBase,
  NotFoundError,
} from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  planSummaryLines,
  TerraformPlan,
  TerraformRunner,
} from '@paved/plugin-terraform-node';
import crypto from 'node:crypto';
import { examples } from './terraformReview.examples';

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

/**
 * `terraform:review`: a manual "review plan" step between `terraform:plan`
 * and `terraform:apply`. The scaffolder cannot pause a running task, so the
 * step stops the task with the plan summary and asks for a retry; retrying
 * the task (the Retry button of templates with
 * `EXPERIMENTAL_recovery.EXPERIMENTAL_strategy: startOver`) is the approval:
 * the plan step's checkpoint returns the same plan, this step lets it
 * through, and `terraform:apply` applies exactly that plan.
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
    id: 'terraform:review',
    description:
      'Stops the task for a person to review the saved plan of an earlier terraform:plan step. Retrying the task approves exactly that plan; a later terraform:apply step then applies it.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        planId: z =>
          z
            .string()
            .describe(
              'The plan to review: ${{ steps.<plan step>.output.planId }}.',
            ),
      },
      output: {
        approved: z =>
          z
            .boolean()
            .describe(
              'True once a person approved the plan by retrying the task; false in a dry run or when the plan changes nothing.',
            ),
        reviewRequestedAt: z =>
          z
            .string()
            .describe(
              'When the task stopped for review (ISO 8601); empty when nothing was reviewed.',
            ),
      },
    },
    async handler(ctx) {
      const { planId } = ctx.input;
      const plan = await runner.getPlan(planId);
      if (!plan) throw new NotFoundError(`planId: no saved plan ${planId}`);
      if (!plan.hasChanges) {
        ctx.logger.info(`Plan ${planId} changes nothing: nothing to review`);
        ctx.output('approved', false);
        ctx.output('reviewRequestedAt', '');
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
        ctx.output('approved', false);
        ctx.output('reviewRequestedAt', '');
        return;
      }
      checkStillApplicable(plan, now());

      // The first run stores this attempt; a retry gets the stored one back.
      const attempt = crypto.randomUUID();
      const request = await ctx.checkpoint({
        key: `terraform.review.${planId}`,
        fn: async () => ({
          attempt,
          requestedAt: new Date(now()).toISOString(),
        }),
      });
      if (request.attempt === attempt) {
        const listed =
          plan.summary.resources.length > PLAN_LINES
            ? `The task log above lists destroys and replacements first, then the other changes up to ${PLAN_LINES} lines, and counts the rest.`
            : 'The task log above lists each resource with its action.';
        throw new PlanReviewRequiredError(
          `Review the plan, then approve it. ${plan.summary.text} ${listed} ` +
            `To apply exactly this plan, press Retry before ${minuteUtc(
              plan.expiresAt,
            )}; to drop it, do nothing: it expires then.`,
        );
      }
      ctx.logger.info(
        `Plan ${planId} approved: the task was retried after it stopped for review at ${request.requestedAt}`,
      );
      ctx.output('approved', true);
      ctx.output('reviewRequestedAt', request.requestedAt);
    },
  });
}
