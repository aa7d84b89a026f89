import { ActionContext } from '@backstage/plugin-scaffolder-node';

/** A checkpoint value (the scaffolder stores them as JSON). */
export type CheckpointJson =
  | string
  | number
  | boolean
  | null
  | CheckpointJson[]
  | { [key: string]: CheckpointJson | undefined };

/**
 * `ctx.checkpoint` for a step whose effect can be undone outside the task,
 * as `paved:kubernetes:namespace:delete` undoes a provisioned namespace.
 *
 * A value replayed from an earlier run of the task is first checked with
 * `stillHolds`. When it no longer holds (the namespace it recorded is gone or
 * was replaced), the step runs again under a key naming the replayed value's
 * `generation`, so the new result is checkpointed too and a retried task
 * converges instead of trusting a stale record. Each generation is a
 * namespace uid, which is never reused, so the chain of keys ends.
 */
export async function verifiedCheckpoint<T extends CheckpointJson>(
  ctx: Pick<ActionContext<any, any>, 'checkpoint'>,
  options: {
    key: string;
    fn: () => Promise<T>;
    stillHolds: (replayed: T) => Promise<boolean>;
    generation: (replayed: T) => string;
    onStale?: (replayed: T) => void;
  },
): Promise<T> {
  const seen = new Set<string>();
  let key = options.key;
  for (;;) {
    let ran = false;
    seen.add(key);
    const value = (await ctx.checkpoint({
      key,
      fn: async () => {
        ran = true;
        return options.fn();
      },
    })) as T;
    if (ran || (await options.stillHolds(value))) {
      return value;
    }
    options.onStale?.(value);
    key = `${options.key}.after-${options.generation(value)}`;
    if (seen.has(key)) {
      // A record that names no generation cannot be chained: run the idempotent step itself.
      return options.fn();
    }
  }
}

/**
 * Whether a live namespace is the one a replayed record names: any live
 * one, when the record names no uid (it was written before uids were).
 */
export function isRecordedNamespace(
  live: { uid: string } | undefined,
  recordedUid: string | undefined,
): boolean {
  return (
    live !== undefined &&
    (recordedUid === undefined || live.uid === recordedUid)
  );
}
