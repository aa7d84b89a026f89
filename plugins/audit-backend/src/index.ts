/**
 * The audit trail: every auditor event of every plugin, stored and served
 * to admins at /api/audit/events.
 *
 * @packageDocumentation
 */

export { auditPlugin as default } from './plugin';
