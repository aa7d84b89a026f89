/**
 * One of GitHub's secondary limits on content-creating requests: at most
 * `writes` in any window of `perMs`.
 */
export interface WriteLimit {
  writes: number;
  perMs: number;
}

/**
 * How much longer than GitHub's a window is kept: a request reaches GitHub
 * a little after its turn, and one that arrives late must not be counted
 * in the window of the one after it.
 */
export const WINDOW_MARGIN_MS = 500;

/** What one credential's budget holds when a write asks for its turn. */
export interface BudgetState {
  now: number;
  /** The least time between two writes. */
  intervalMs: number;
  /** No write before this (a `retry-after` or a rate limit's reset). */
  blockedUntil: number;
  /** The turns already given, latest first, as many as the largest limit counts. */
  slots: number[];
  limits: WriteLimit[];
}

/**
 * The earliest time a new write may go: after the interval that follows the
 * last turn given, after any block, and late enough that no limit's window
 * (kept {@link WINDOW_MARGIN_MS} longer) holds more than its writes. Every turn given is at or after the ones
 * before it, so moving later only ever frees a window.
 */
export function nextWriteSlot(state: BudgetState): number {
  const { slots, limits } = state;
  let at = Math.max(
    state.now,
    state.blockedUntil,
    slots.length > 0 ? slots[0] + state.intervalMs : 0,
  );
  for (let moved = true; moved; ) {
    moved = false;
    for (const { writes, perMs } of limits) {
      const oldest = slots[writes - 1];
      const window = perMs + WINDOW_MARGIN_MS;
      if (oldest !== undefined && oldest > at - window) {
        at = oldest + window;
        moved = true;
      }
    }
  }
  return at;
}

/** How many turns given are still to come at `now`: the writes ahead. */
export function writesAhead(slots: number[], now: number): number {
  return slots.filter(slot => slot > now).length;
}

/** GitHub's documented secondary limits: 80 a minute, 500 an hour. */
export const GITHUB_WRITE_LIMITS: WriteLimit[] = [
  { writes: 80, perMs: 60_000 },
  { writes: 500, perMs: 3_600_000 },
];
