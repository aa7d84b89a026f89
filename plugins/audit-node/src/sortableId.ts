import { randomBytes } from 'node:crypto';

let lastMs = -1;
let sequence = 0;

/**
 * A UUID version 7 (RFC 9562): the time in ms, then a counter within the
 * millisecond, then random bits. Ids of one process sort as its events
 * happened, so the trail's newest-first order is stable when an event's
 * start and outcome share a millisecond.
 */
export function sortableId(now: number): string {
  if (now === lastMs) {
    sequence = (sequence + 1) & 0xfff;
  } else {
    lastMs = now;
    sequence = 0;
  }
  const hex = [
    now.toString(16).padStart(12, '0').slice(-12),
    (0x7000 | sequence).toString(16),
    ((randomBytes(2).readUInt16BE(0) & 0x3fff) | 0x8000).toString(16),
    randomBytes(6).toString('hex'),
  ];
  return `${hex[0].slice(0, 8)}-${hex[0].slice(8)}-${hex[1]}-${hex[2]}-${
    hex[3]
  }`;
}
