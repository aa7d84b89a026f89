/**
 * The approvals page: requests for approval the signed-in person may
 * decide, with Approve and Reject, and the decided ones.
 *
 * @packageDocumentation
 */

export { approvalsPlugin as default } from './plugin';
export { approvalsApiRef, ApprovalsClient } from './api/ApprovalsApi';
export type { ApprovalsApi } from './api/ApprovalsApi';
