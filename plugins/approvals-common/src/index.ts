/**
 * The shape of Paved's approval requests, shared by the approvals backend,
 * its client and the approvals page.
 *
 * @packageDocumentation
 */

export type {
  ApprovalKind,
  ApprovalRequest,
  ApprovalRequestView,
  ApprovalStatus,
  CreateApprovalRequest,
} from './types';
