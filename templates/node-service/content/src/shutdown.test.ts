import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { shutdown } from './shutdown.ts';
import { startTestApp } from './test/startTestApp.ts';

describe('shutdown', () => {
  it('reports not ready for the delay, then stops accepting, flushes and exits 0', async () => {
    const t = await startTestApp();
    let flushed = false;
    const done = shutdown({
      app: t.app,
      logger: t.logger,
      signal: 'SIGTERM',
      delayMs: 300,
      timeoutMs: 2000,
      flush: async () => {
        flushed = true;
      },
    });
    // During the delay the pod still serves, but is not ready.
    assert.equal((await fetch(`${t.url}/readyz`)).status, 503);
    assert.equal((await fetch(`${t.url}/healthz`)).status, 200);
    assert.equal(await done, 0);
    assert.ok(flushed);
    await assert.rejects(fetch(`${t.url}/healthz`));
    assert.deepEqual(
      t
        .logs()
        .map(l => l.msg)
        .filter(m => m !== 'Request'),
      ['Shutting down: not ready any more', 'Closing the server', 'Stopped'],
    );
  });

  it('exits 1 when a request outlives the timeout', async () => {
    const t = await startTestApp();
    // A request whose body never ends keeps its connection busy.
    const hanging = request(`${t.url}/healthz`, {
      method: 'GET',
      headers: { 'content-length': '10' },
    });
    hanging.on('error', () => {});
    hanging.write('x');
    await new Promise(resolve => setTimeout(resolve, 100));
    const code = await shutdown({
      app: t.app,
      logger: t.logger,
      signal: 'SIGTERM',
      delayMs: 0,
      timeoutMs: 200,
      flush: async () => {},
    });
    assert.equal(code, 1);
    hanging.destroy();
  });
});
