import {
  ApprovalRequest,
  ApprovalStatus,
  CreateApprovalRequest,
} from '@paved/plugin-approvals-common';

/** A request as stored: its approvals page link is the desk's to add. */
export type StoredApprovalRequest = Omit<ApprovalRequest, 'url'>;

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
  ): Promise<{ request: StoredApprovalRequest; created: boolean }>;
  get(id: string): Promise<StoredApprovalRequest | undefined>;
  /** Newest first. */
  list(filter: {
    status?: ApprovalStatus;
    /** Only the requests about this subject (a plan id). */
    subjectId?: string;
  }): Promise<StoredApprovalRequest[]>;
  /**
   * Records the decision if the request is still pending; returns the
   * decided request, or undefined when it was decided already.
   */
  decide(
    decision: ApprovalDecision,
  ): Promise<StoredApprovalRequest | undefined>;
}
