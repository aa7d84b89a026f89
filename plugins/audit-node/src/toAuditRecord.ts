import { AuditorEvent } from '@backstage/backend-defaults/auditor';
import { JsonObject, JsonValue } from '@backstage/types';
import { AuditRecord } from './AuditRecord';
import { sortableId } from './sortableId';

/**
 * Keys whose values are never stored: tokens, secrets, passwords,
 * credentials and anything named a key (`apiKey`, `private_key`).
 */
const SECRET_KEY = /token|secret|passw|credential|authorization|cookie|keys?$/i;
const MAX_META_CHARS = 8_192;
const MAX_STRING_CHARS = 1_024;
const MAX_DEPTH = 6;
const MAX_FIELD_CHARS = { actor: 255, target: 512, taskId: 64, error: 2_048 };

/** The meta keys a target is read from when `meta.target` is absent, best first. */
const TARGET_KEYS = [
  'target',
  'entityRef',
  'entityRefs',
  'templateRef',
  'locationRef',
  'location',
  'taskId',
  'actionId',
  'permission',
];

/** Whether a meta key names something secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) || key.toLowerCase() === 'auth';
}

function cleanValue(value: JsonValue | undefined, depth: number): JsonValue {
  if (value === undefined) return null;
  if (typeof value === 'string') {
    return value.length > MAX_STRING_CHARS
      ? `${value.slice(0, MAX_STRING_CHARS)}…`
      : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) {
    return value.slice(0, 50).map(v => cleanValue(v, depth + 1));
  }
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    if (!isSecretKey(key)) out[key] = cleanValue(v, depth + 1);
  }
  return out;
}

/**
 * The meta without secret-looking keys (at any depth), long strings cut,
 * and when still over 8 KiB as JSON, only its short top-level fields.
 */
export function sanitizeMeta(meta: JsonObject | undefined): JsonObject | null {
  if (!meta || Object.keys(meta).length === 0) return null;
  const clean = cleanValue(meta, 0) as JsonObject;
  if (JSON.stringify(clean).length <= MAX_META_CHARS) return clean;
  const short: JsonObject = { truncated: true };
  for (const [key, value] of Object.entries(clean)) {
    if (value === null || typeof value !== 'object') short[key] = value;
    if (JSON.stringify(short).length > MAX_META_CHARS) {
      delete short[key];
      break;
    }
  }
  return short;
}

function text(value: JsonValue | undefined, max: number): string | null {
  if (value === undefined || value === null || value === '') return null;
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.length > max ? s.slice(0, max) : s;
}

function targetOf(meta: JsonObject | null): string | null {
  if (!meta) return null;
  const key = TARGET_KEYS.find(k => meta[k] !== undefined && meta[k] !== null);
  return key ? text(meta[key], MAX_FIELD_CHARS.target) : null;
}

/**
 * The record the trail keeps of one auditor event. The actor is the user
 * a Paved action acted for (`meta.actor`, set by `auditChange`) when
 * present, else the auditor's actor; the target is `meta.target`, else the
 * best summary the meta offers (an entity ref, a template, a task id).
 *
 * @public
 */
export function toAuditRecord(
  event: AuditorEvent,
  now: number = Date.now(),
): AuditRecord {
  const meta = sanitizeMeta(event.meta);
  return {
    id: sortableId(now),
    time: now,
    plugin: event.plugin,
    eventId: event.eventId,
    severity: event.severityLevel,
    status: event.status,
    actor: text(meta?.actor ?? event.actor?.actorId, MAX_FIELD_CHARS.actor),
    target: targetOf(meta),
    taskId: text(meta?.taskId, MAX_FIELD_CHARS.taskId),
    error:
      event.status === 'failed'
        ? text(
            `${event.error?.name ?? 'Error'}: ${
              event.error?.message ?? event.error
            }`,
            MAX_FIELD_CHARS.error,
          )
        : null,
    meta,
  };
}
