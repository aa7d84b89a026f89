import { WINDOW_MARGIN_MS, nextWriteSlot, writesAhead } from './nextWriteSlot';

const base = {
  now: 1_000_000,
  intervalMs: 750,
  blockedUntil: 0,
  slots: [] as number[],
  limits: [
    { writes: 3, perMs: 10_000 },
    { writes: 5, perMs: 60_000 },
  ],
};

describe('nextWriteSlot', () => {
  it('gives an idle budget the present', () => {
    expect(nextWriteSlot(base)).toBe(base.now);
  });

  it('keeps the interval after the last turn given, even one in the future', () => {
    expect(nextWriteSlot({ ...base, slots: [base.now + 2000] })).toBe(
      base.now + 2750,
    );
    expect(nextWriteSlot({ ...base, slots: [base.now - 5000] })).toBe(base.now);
  });

  it('waits out a block GitHub asked for', () => {
    expect(nextWriteSlot({ ...base, blockedUntil: base.now + 30_000 })).toBe(
      base.now + 30_000,
    );
  });

  it('moves past a full window: the oldest of its writes leaves it first', () => {
    // Three writes within 10 s: the fourth waits until the oldest is 10 s old.
    const slots = [base.now - 1000, base.now - 2000, base.now - 4000];
    expect(nextWriteSlot({ ...base, slots })).toBe(
      base.now - 4000 + 10_000 + WINDOW_MARGIN_MS,
    );
  });

  it('honours every limit: the longer window can hold back what the shorter lets go', () => {
    const slots = [
      base.now - 20_000,
      base.now - 30_000,
      base.now - 40_000,
      base.now - 50_000,
      base.now - 55_000,
    ];
    // The 10 s window is free; the minute holds five, the oldest 55 s ago.
    expect(nextWriteSlot({ ...base, slots })).toBe(
      base.now + 5000 + WINDOW_MARGIN_MS,
    );
  });

  it('counts the writes still to come', () => {
    const slots = [base.now + 1500, base.now + 750, base.now, base.now - 10];
    expect(writesAhead(slots, base.now)).toBe(2);
  });
});
