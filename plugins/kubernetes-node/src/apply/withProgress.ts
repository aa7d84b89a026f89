import { isError } from '@backstage/errors';
import { ObjectOutcome } from '../KubernetesProvisioner';

/** What was written before a failure, and the write that may or may not have landed. */
function progressOf(
  written: ObjectOutcome[],
  uncertain: ObjectOutcome | undefined,
  where: string,
): string[] {
  const changed = written.filter(
    o => o.action === 'created' || o.action === 'updated',
  );
  const parts: string[] = [];
  if (changed.length > 0) {
    parts.push(
      `Before the failure Paved had applied to ${where}: ${changed
        .map(o => `${o.kind} "${o.name}" (${o.action})`)
        .join(', ')}`,
    );
  }
  if (uncertain) {
    parts.push(
      `${changed.length > 0 ? 'it' : 'Paved'} was applying ${uncertain.kind} "${
        uncertain.name
      }" ${
        changed.length > 0 ? '' : `to ${where} `
      }when the cluster stopped answering, so that one may or may not have been applied`,
    );
  }
  return parts;
}

/** The same error class with another message (so callers can still check error.name). */
function withMessage(err: Error, message: string): Error {
  // No cause, which @backstage/errors would append to the message.
  const Ctor = err.constructor as new (message: string) => Error;
  try {
    const wrapped = new Ctor(message);
    if (wrapped.message === message) return wrapped;
  } catch {
    // fall through to a plain error
  }
  return new Error(message);
}

/**
 * Re-throws an error with what had already been written, and the write that
 * was under way when the cluster stopped answering, so that a failure never
 * leaves a half-done namespace or manifest set unreported.
 */
export function withProgress(
  error: unknown,
  written: ObjectOutcome[],
  inFlight: ObjectOutcome | undefined,
  where: string,
): Error {
  const err = isError(error) ? (error as Error) : new Error(String(error));
  // A timeout or a dropped connection says nothing about whether the write landed.
  const uncertain =
    inFlight && err.name === 'ServiceUnavailableError' ? inFlight : undefined;
  const parts = progressOf(written, uncertain, where);
  if (parts.length === 0) {
    return err;
  }
  return withMessage(
    err,
    `${err.message}. ${parts.join('; ')}; run the operation again to converge`,
  );
}
