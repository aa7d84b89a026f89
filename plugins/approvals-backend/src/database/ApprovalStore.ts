import {
  ApprovalRequest,
  ApprovalStatus,
  CreateApprovalRequest,
} from '@paved/plugin-approvals-common';

/** A decision to record on a pending request. */
export type ApprovalDecision = {
  id: string;
  status: Exclude<ApprovalStatus, 'pending'>;
  decidedBy: string;
  decidedAt: Date;
  reason?: string;
};

/** Where the requests and their decisions are kept. */
export interface ApprovalStore {
  /**
   * Adds a pending request, or returns the one already asked for the same
   * task and subject (`created: false`).
   */
  create(
    request: CreateApprovalRequest & { id: string; taskUrl: string },
  ): Promise<{ request: ApprovalRequest; created: boolean }>;
  get(id: string): Promise<ApprovalRequest | undefined>;
  /** Newest first. */
  list(filter: { status?: ApprovalStatus }): Promise<ApprovalRequest[]>;
  /**
   * Records the decision if the request is still pending; returns the
   * decided request, or undefined when it was decided already.
   */
  decide(decision: ApprovalDecision): Promise<ApprovalRequest | undefined>;
}
