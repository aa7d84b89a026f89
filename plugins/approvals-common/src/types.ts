/**
 * Where a request for approval stands. Only a `pending` request may be
 * decided; a decision is final.
 *
 * @public
 */
export type ApprovalStatus = 'pending' | 'approved' | 'rejected';

/**
 * What is asked to be approved. Today only a Terraform plan.
 *
 * @public
 */
export type ApprovalKind = 'terraform-plan';

/**
 * A request for approval, as the approvals API returns it.
 *
 * @public
 */
export type ApprovalRequest = {
  id: string;
  /** The scaffolder task that waits for the decision. */
  taskId: string;
  /** The step of that task that asked. */
  stepId: string;
  kind: ApprovalKind;
  /** What is approved: the plan id for `terraform-plan`. */
  subjectId: string;
  /** What the change is made to: `terraform workspace kestrel-invoices`. */
  target: string;
  /** The group that owns the target: its members (and admins) decide. */
  ownerRef: string;
  /** The user whose task asked. */
  requesterRef: string;
  /** What would change (the plan summary); never a secret. */
  summary: string;
  /** The task's page in the portal. */
  taskUrl: string;
  /** The request on the portal's approvals page, where it is decided. */
  url: string;
  status: ApprovalStatus;
  decidedBy?: string;
  /** ISO 8601. */
  decidedAt?: string;
  /** Why it was rejected (or a note with the approval). */
  reason?: string;
  /** ISO 8601. */
  createdAt: string;
};

/**
 * A request as listed for a signed-in person: whether they may decide it,
 * and if not, why.
 *
 * @public
 */
export type ApprovalRequestView = ApprovalRequest & {
  canDecide: boolean;
  /** Why the caller may not decide it, when they may not. */
  cannotDecideReason?: string;
};

/**
 * What the scaffolder sends to ask for an approval (`POST /requests`).
 * Asking twice for the same task and subject returns the first request.
 *
 * @public
 */
export type CreateApprovalRequest = {
  taskId: string;
  stepId: string;
  kind: ApprovalKind;
  subjectId: string;
  target: string;
  ownerRef: string;
  requesterRef: string;
  summary: string;
};
