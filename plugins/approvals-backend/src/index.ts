/**
 * Approvals that are approvals: requests decided by a member of the owning
 * group other than the requester, through the permission policy.
 *
 * @packageDocumentation
 */

export { approvalsPlugin as default } from './plugin';
