/**
 * Who may change what in Paved: the caller's groups from the catalogue,
 * the admin groups of `paved.permissions`, and the check every driver
 * makes before it changes a target.
 *
 * @packageDocumentation
 */

export type {
  OwnershipService,
  OwnedChange,
  PavedCaller,
} from './OwnershipService';
export {
  DefaultOwnershipService,
  DEFAULT_ADMIN_GROUPS,
} from './DefaultOwnershipService';
export type { DefaultOwnershipServiceOptions } from './DefaultOwnershipService';
export { groupRefOf } from './groupRefOf';
export {
  ownershipServiceRef,
  ownershipServiceFactory,
} from './ownershipServiceRef';
export {
  isOwnedBy,
  isOwnedByRule,
  ownedTargetResourceRef,
} from './isOwnedByRule';
export type { OwnedTarget } from './isOwnedByRule';
export { auditChange } from './audit/auditChange';
export type { PavedAuditedChange } from './audit/auditChange';
export { RefreshingCache } from './RefreshingCache';
export type { RefreshingCacheOptions } from './RefreshingCache';
