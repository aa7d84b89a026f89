import { GitHubWriteBudget } from './GitHubWriteBudget';
import { MemoryWriteSlotStore } from './MemoryWriteSlotStore';

const credential = {
  key: 'token:github.com:abc',
  description: 'the token for github.com',
};

function recordingLogger() {
  const lines: string[] = [];
  const logger: any = {
    info: (m: string) => lines.push(m),
    warn: (m: string) => lines.push(m),
    error: (m: string) => lines.push(m),
    debug: () => {},
    child: () => logger,
  };
  return { lines, logger };
}

function budget(
  options: Partial<Parameters<typeof GitHubWriteBudget.create>[0]> = {},
) {
  return GitHubWriteBudget.create({
    store: new MemoryWriteSlotStore(),
    limits: [{ writes: 1000, perMs: 60_000 }],
    intervalMs: 400,
    maxWaitMs: 60_000,
    ...options,
  });
}

describe('GitHubWriteBudget', () => {
  it('lets the first write go at once, and says nothing', async () => {
    const { lines, logger } = recordingLogger();
    const started = Date.now();
    await budget().take(credential, { logger, what: 'creating kestrel/shop' });
    expect(Date.now() - started).toBeLessThan(300);
    expect(lines).toEqual([]);
  });

  it('queues a burst one interval apart, and says how many are ahead of a write that waits', async () => {
    const { lines, logger } = recordingLogger();
    const b = budget({ intervalMs: 400 });
    const done: number[] = [];
    const started = Date.now();
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map(async i => {
        await b.take(credential, { logger, what: `write ${i}` });
        done.push(Date.now() - started);
      }),
    );
    // Each write went one interval after the one before it.
    done.sort((x, y) => x - y);
    for (let i = 1; i < done.length; i++) {
      expect(done[i] - done[i - 1]).toBeGreaterThanOrEqual(350);
    }
    // Turns at 0, 0.4, 0.8, 1.2, 1.6 and 2 s: the fourth is the first to
    // wait a second or more, with two turns still to come before it.
    expect(lines).toEqual([
      "Waiting for GitHub's write budget: 2 writes ahead, about 2 s",
      "Waiting for GitHub's write budget: 3 writes ahead, about 2 s",
      "Waiting for GitHub's write budget: 4 writes ahead, about 2 s",
    ]);
  });

  it('keeps separate queues for separate credentials', async () => {
    const { lines, logger } = recordingLogger();
    const b = budget({ intervalMs: 5000 });
    await b.take(credential, { logger, what: 'a' });
    const other = { key: 'app:github.com:kestrel', description: 'the app' };
    const started = Date.now();
    await b.take(other, { logger, what: 'b' });
    expect(Date.now() - started).toBeLessThan(300);
    expect(lines).toEqual([]);
  });

  it('refuses a turn further away than the longest wait, says when to run again, and books nothing', async () => {
    const { logger } = recordingLogger();
    const b = budget({ intervalMs: 30_000, maxWaitMs: 10_000 });
    await b.take(credential, { logger, what: 'creating kestrel/a' });
    const error = await b
      .take(credential, { logger, what: 'creating kestrel/b' })
      .catch(e => e);
    expect(error).toMatchObject({
      name: 'GitHubRateLimitError',
      limit: 'secondary',
      message: expect.stringMatching(
        /^creating kestrel\/b failed: GitHub's write budget of the token for github\.com is taken for the next (29|30) s \(0 writes ahead\), more than paved\.github\.writeBudget\.maxWait \(10 s\) allows\. Run the task again after \d{4}-\d\d-\d\dT[\d:.]+Z; finished steps are kept\.$/,
      ),
    });
    expect(error.retryAt.getTime()).toBeGreaterThan(Date.now() + 25_000);
    // Nothing was booked: the next refusal names the same turn.
    const again = await b
      .take(credential, { logger, what: 'creating kestrel/c' })
      .catch(e => e);
    expect(again.retryAt).toEqual(error.retryAt);
  });

  it('holds the whole queue back until the time GitHub asked for', async () => {
    const { lines, logger } = recordingLogger();
    const b = budget({ intervalMs: 0 });
    await b.block(credential, Date.now() + 1500);
    const started = Date.now();
    await b.take(credential, { logger, what: 'w' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(lines).toEqual([
      "Waiting for GitHub's write budget: 0 writes ahead, about 2 s",
    ]);
  });
});
