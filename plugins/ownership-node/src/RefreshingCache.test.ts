import { RefreshingCache } from './RefreshingCache';

describe('RefreshingCache', () => {
  function setup(servesStale?: (v: string[]) => boolean) {
    let now = 0;
    let reads = 0;
    let answer = ['a'];
    const cache = new RefreshingCache<string[]>({
      freshMs: 5000,
      staleMs: 60_000,
      now: () => now,
      servesStale,
    });
    const load = async () => {
      reads += 1;
      return answer;
    };
    return {
      get: () => cache.get('k', load),
      at: (t: number) => (now = t),
      reads: () => reads,
      answer: (a: string[]) => (answer = a),
    };
  }

  it('reads once while fresh, serves a stale answer while reading again, and waits once it is too old', async () => {
    const c = setup();
    await expect(c.get()).resolves.toEqual(['a']);
    await c.get();
    expect(c.reads()).toBe(1);
    c.answer(['b']);
    c.at(6000);
    await expect(c.get()).resolves.toEqual(['a']);
    expect(c.reads()).toBe(2);
    await new Promise(r => setImmediate(r));
    await expect(c.get()).resolves.toEqual(['b']);
    c.answer(['c']);
    c.at(6000 + 5000 + 60_000);
    await expect(c.get()).resolves.toEqual(['c']);
  });

  it('never serves stale what servesStale refuses, and forgets failed reads', async () => {
    const c = setup(v => v.length > 0);
    c.answer([]);
    await c.get();
    c.answer(['a']);
    c.at(6000);
    await expect(c.get()).resolves.toEqual(['a']);

    const cache = new RefreshingCache<string>({ freshMs: 5000, staleMs: 0 });
    await expect(
      cache.get('k', () => Promise.reject(new Error('down'))),
    ).rejects.toThrow('down');
    await expect(cache.get('k', async () => 'up')).resolves.toBe('up');
  });
});
