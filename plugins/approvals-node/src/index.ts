/**
 * Asking for an approval and reading its decision, for backend packages.
 *
 * @packageDocumentation
 */

export type { ApprovalsService } from './ApprovalsService';
export { DefaultApprovalsService } from './DefaultApprovalsService';
export type { DefaultApprovalsServiceOptions } from './DefaultApprovalsService';
export {
  approvalsServiceRef,
  approvalsServiceFactory,
} from './approvalsServiceRef';
export type {
  ApprovalRequest,
  ApprovalStatus,
  CreateApprovalRequest,
} from '@paved/plugin-approvals-common';
