/** How often waits poll the cluster unless told otherwise. */
export const DEFAULT_POLL_MS = 2000;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason ?? new Error('aborted'));
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits one poll interval, no later than the deadline; an aborted signal ends the wait. */
export function nextPoll(
  deadline: number,
  pollMs: number,
  signal?: AbortSignal,
): Promise<void> {
  return sleep(Math.max(0, Math.min(pollMs, deadline - Date.now())), signal);
}
