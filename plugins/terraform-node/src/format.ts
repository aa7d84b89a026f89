/**
 * Items joined with ", ", the first `max` of them and then how many more:
 * an error or log line about a plan of thousands of resources stays short.
 */
export function listUpTo(items: string[], max = 20): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${(
    items.length - max
  ).toLocaleString('en-US')} more`;
}

/** A duration as people read it: "300 ms", "30 s", "5 min", "2 h". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms % 3_600_000 === 0 || ms >= 7_200_000)
    return `${Math.round(ms / 3_600_000)} h`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** A size as people read it: "812 bytes", "3.4 KiB", "12.0 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
