import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { AuditCursor, AuditQuery } from '../store/AuditStore';

const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;

const text = (max: number) => z.string().min(1).max(max).optional();
const time = z
  .string()
  .refine(s => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'expected an ISO 8601 time such as 2026-12-07T10:00:00Z',
  })
  .optional();

const querySchema = z.strictObject({
  actor: text(255),
  target: text(512),
  eventId: text(128),
  plugin: text(64),
  taskId: text(64),
  status: z
    .enum(['initiated', 'succeeded', 'failed'], {
      message: 'expected one of initiated, succeeded, failed',
    })
    .optional(),
  from: time,
  to: time,
  limit: z
    .string()
    .regex(/^\d+$/, {
      message: `expected a whole number from 1 to ${MAX_LIMIT}`,
    })
    .transform(Number)
    .refine(n => n >= 1 && n <= MAX_LIMIT, {
      message: `expected a whole number from 1 to ${MAX_LIMIT}`,
    })
    .optional(),
  cursor: z.string().max(200).optional(),
});

/** A cursor as the API hands it out: base64url of `{ time, id }`. */
export function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify([cursor.time, cursor.id])).toString(
    'base64url',
  );
}

function decodeCursor(cursor: string): AuditCursor {
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Number.isSafeInteger(t) && typeof id === 'string')
      return { time: t, id };
  } catch {
    // reported below
  }
  throw new InputError(
    "Invalid query parameter 'cursor': expected the nextCursor of an earlier page",
  );
}

/** Which parameter is wrong and what was expected, from zod's first issue. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `Invalid query parameter '${issue.keys.join(
      ', ',
    )}': expected only actor, target, eventId, plugin, taskId, status, from, to, limit, cursor`;
  }
  const expected =
    issue.code === 'invalid_type' ? 'expected a single value' : issue.message;
  return `Invalid query parameter '${String(issue.path[0])}': ${expected}`;
}

/**
 * The query of `GET /events` from its query string; an InputError naming
 * the parameter and what was expected otherwise.
 */
export function parseAuditQuery(raw: unknown): AuditQuery {
  const parsed = querySchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(describeIssue(parsed.error.issues[0]));
  }
  const { from, to, limit, cursor, ...filters } = parsed.data;
  const query: AuditQuery = {
    ...filters,
    limit: limit ?? DEFAULT_LIMIT,
    from: from === undefined ? undefined : Date.parse(from),
    to: to === undefined ? undefined : Date.parse(to),
    cursor: cursor === undefined ? undefined : decodeCursor(cursor),
  };
  if (
    query.from !== undefined &&
    query.to !== undefined &&
    query.from > query.to
  ) {
    throw new InputError(
      "Invalid query parameters 'from' and 'to': expected 'from' no later than 'to'",
    );
  }
  return query;
}
