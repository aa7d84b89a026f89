/**
 * The audit trail's capture: every plugin's auditor logs as upstream's and
 * hands each event to an in-process sink; the audit plugin stores them.
 *
 * @packageDocumentation
 */

export type { AuditRecord, AuditSeverity, AuditStatus } from './AuditRecord';
export type { AuditEventSink } from './AuditEventSink';
export {
  DefaultAuditEventSink,
  type DefaultAuditEventSinkOptions,
} from './DefaultAuditEventSink';
export {
  auditEventSinkServiceRef,
  auditEventSinkServiceFactory,
} from './auditEventSinkServiceRef';
export { auditorServiceFactory } from './auditorServiceFactory';
export {
  AuditedPermissionsService,
  type AuditedPermissionsServiceOptions,
} from './AuditedPermissionsService';
export { permissionsServiceFactory } from './permissionsServiceFactory';
export { toAuditRecord, sanitizeMeta, isSecretKey } from './toAuditRecord';
