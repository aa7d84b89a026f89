import { NotAllowedError } from '@backstage/errors';
import { ApprovalsService } from '@paved/plugin-approvals-node';
import { TerraformPlan } from '@paved/plugin-terraform-node';

/** Who approved a plan, for the task log and the audit trail. */
export type PlanApproval = { approvedBy: string; approvedAt: string };

/**
 * The approval a plan needs before it is applied: a request about this
 * plan that a member of the workspace's owning group (or an admin) approved
 * on the approvals page. A plan that changes nothing needs none. Whatever
 * the template says, apply refuses an unapproved plan, so a template
 * without a `paved:terraform:review` step cannot apply anything, and
 * neither can a Retry.
 */
export async function assertPlanApproved(
  approvals: ApprovalsService,
  plan: TerraformPlan,
): Promise<PlanApproval | undefined> {
  if (!plan.hasChanges) return undefined;
  const requests = await approvals.forSubject(plan.planId);
  const approved = requests.find(r => r.status === 'approved');
  if (approved) {
    return {
      approvedBy: approved.decidedBy ?? 'unknown',
      approvedAt: approved.decidedAt ?? '',
    };
  }
  const rejected = requests.find(r => r.status === 'rejected');
  if (rejected) {
    throw new NotAllowedError(
      `Plan ${plan.planId} was rejected by ${rejected.decidedBy}: ${rejected.reason}; it is never applied`,
    );
  }
  const pending = requests.find(r => r.status === 'pending');
  throw new NotAllowedError(
    `Plan ${
      plan.planId
    } is not approved: a member of the workspace's owning group other than the requester approves a plan before it is applied${
      pending
        ? `; it waits for approval at ${pending.url}`
        : '; no one was asked (the template needs a paved:terraform:review step before paved:terraform:apply)'
    }`,
  );
}
