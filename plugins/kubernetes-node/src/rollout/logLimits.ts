/**
 * How much of a failing container's log a rollout diagnosis copies: the
 * lines end up in a task log that everyone who can see the task reads, so
 * they are few and short.
 */
export const LOG_LIMITS = {
  /** Most lines asked for per container (`logTailLines` is capped to it). */
  maxTailLines: 50,
  /** Most bytes read from the cluster per container, whatever the lines' length. */
  maxReadBytes: 64 * 1024,
  /** Most bytes of lines kept per container: the last lines that fit. */
  maxBytes: 4 * 1024,
  /** Longer lines are cut to this many characters. */
  maxLineChars: 300,
} as const;

/**
 * The last lines of a log within {@link LOG_LIMITS}: each line cut to
 * `maxLineChars`, then as many of the last lines as fit in `maxBytes`.
 */
export function capLogLines(text: string): {
  lines: string[];
  truncated: boolean;
} {
  let truncated = false;
  const all = text
    .split('\n')
    .filter(l => l !== '')
    .map(l => {
      if (l.length <= LOG_LIMITS.maxLineChars) return l;
      truncated = true;
      return `${l.slice(0, LOG_LIMITS.maxLineChars)}… (cut)`;
    });
  const kept: string[] = [];
  let bytes = 0;
  for (let i = all.length - 1; i >= 0; i--) {
    bytes += Buffer.byteLength(all[i], 'utf8') + 1;
    if (bytes > LOG_LIMITS.maxBytes) {
      truncated = true;
      break;
    }
    kept.unshift(all[i]);
  }
  return { lines: kept, truncated };
}
