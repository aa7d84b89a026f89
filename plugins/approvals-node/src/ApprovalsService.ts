import {
  ApprovalRequest,
  CreateApprovalRequest,
} from '@paved/plugin-approvals-common';

/**
 * Asking for an approval and reading its decision, for backend packages
 * (the scaffolder's `paved:terraform:review`). Deciding is for people, in
 * the portal or through the approvals API.
 *
 * @public
 */
export interface ApprovalsService {
  /**
   * Asks the owning group to approve; asking again for the same task and
   * subject returns the request already asked.
   */
  request(request: CreateApprovalRequest): Promise<ApprovalRequest>;

  /** The request with its decision, or undefined when there is none. */
  get(id: string): Promise<ApprovalRequest | undefined>;

  /**
   * Every request about one subject (a plan id), newest first, whatever
   * task asked: what `paved:terraform:apply` reads to apply only a plan
   * someone approved.
   */
  forSubject(subjectId: string): Promise<ApprovalRequest[]>;
}
