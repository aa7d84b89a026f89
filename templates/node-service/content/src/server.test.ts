import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp } from './test/startTestApp.ts';

describe('the HTTP server', () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('answers the probes', async () => {
    const health = await fetch(`${t.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${t.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
  });

  it('says hello, and answers 404 and 405 as JSON', async () => {
    const hello = await fetch(`${t.url}/`);
    assert.deepEqual(await hello.json(), {
      service: 'orders',
      message: 'Hello from Paved!',
    });
    const missing = await fetch(`${t.url}/nowhere?token=abc`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), {
      code: 'not_found',
      message: 'No route for /nowhere',
    });
    const post = await fetch(`${t.url}/healthz`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(
      ((await post.json()) as { code: string }).code,
      'method_not_allowed',
    );
  });

  it('serves its OpenAPI document', async () => {
    const res = await fetch(`${t.url}/openapi.yaml`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/yaml');
    assert.match(await res.text(), /^openapi: 3\./m);
  });

  it('counts requests in the duration histogram, by route, never by raw path', async () => {
    await fetch(`${t.url}/healthz`);
    await fetch(`${t.url}/no/such/path/123`);
    const res = await fetch(`${t.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
    assert.match(
      text,
      /^http_request_duration_seconds_count\{service="orders",method="GET",route="\/healthz",status_code="200"\} [1-9]/m,
    );
    assert.match(text, /route="unmatched",status_code="404"/);
    assert.doesNotMatch(text, /no\/such\/path/);
    // Node's default process metrics.
    assert.match(
      text,
      /^process_resident_memory_bytes\{service="orders"\} \d+/m,
    );
    assert.match(text, /^nodejs_eventloop_lag_seconds/m);
  });

  it('logs each request as a JSON line without its query string', async () => {
    await fetch(`${t.url}/?token=secret-value`);
    const entry = t
      .logs()
      .findLast(l => l.msg === 'Request' && l.route === '/');
    assert.equal(entry.level, 'info');
    assert.equal(entry.status, 200);
    assert.equal(typeof entry.durationMs, 'number');
    assert.ok(!JSON.stringify(t.logs()).includes('secret-value'));
  });

  it('answers 503 on /readyz once draining, and still serves', async () => {
    t.app.startDraining();
    const ready = await fetch(`${t.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.deepEqual(await ready.json(), { status: 'draining' });
    assert.equal((await fetch(`${t.url}/healthz`)).status, 200);
  });
});
