/**
 * The checkpoints of one task as the scaffolder keeps them across retries
 * (NunjucksWorkflowRunner: a stored value is returned without calling fn, a
 * failed fn stores nothing that replays), for tests that run an action's
 * handler several times as the runs of one task.
 */
export function checkpointStore() {
  const values = new Map<string, unknown>();
  const keys: string[] = [];
  return {
    values,
    /** Every key asked for, in order, over all runs. */
    keys,
    async checkpoint({ key, fn }: { key: string; fn: () => Promise<any> }) {
      keys.push(key);
      if (values.has(key)) {
        return values.get(key);
      }
      const value = await fn();
      values.set(key, value ?? {});
      return value;
    },
  };
}

/**
 * A checkpoint that always runs its step (as a first run does) and records
 * the keys it was asked for.
 */
export function recordingCheckpoint() {
  const keys: string[] = [];
  return {
    keys,
    async checkpoint({ key, fn }: { key: string; fn: () => Promise<any> }) {
      keys.push(key);
      return fn();
    },
  };
}
