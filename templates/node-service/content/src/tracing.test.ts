import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createLogger } from './logger.ts';
import { safeEndpoint, startTracing } from './tracing.ts';
import { startTestApp } from './test/startTestApp.ts';

const quiet = createLogger({ level: 'error', write: () => {} });

/** An OTLP/HTTP receiver that keeps what it is sent. */
async function startCollector() {
  const received: { path: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received,
    close: () => server.close(),
  };
}

describe('tracing', () => {
  it('is off without an endpoint: spans are not recorded', async () => {
    const tracing = await startTracing({ serviceName: 'orders' }, quiet);
    assert.equal(tracing.enabled, false);
    const span = tracing.tracer.startSpan('x');
    assert.equal(span.isRecording(), false);
    span.end();
  });

  it("sends a server span per request to the OTLP endpoint, continuing the caller's trace", async () => {
    const collector = await startCollector();
    const tracing = await startTracing(
      { serviceName: 'orders', otlpEndpoint: collector.endpoint },
      quiet,
    );
    assert.equal(tracing.enabled, true);
    const t = await startTestApp({ tracer: tracing.tracer });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await fetch(`${t.url}/healthz`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    await t.close();
    await tracing.shutdown();
    collector.close();
    assert.equal(collector.received.length, 1);
    assert.equal(collector.received[0].path, '/v1/traces');
    const body = collector.received[0].body;
    assert.match(body, /"service\.name"/);
    assert.match(body, /"orders"/);
    assert.match(body, /GET \/healthz/);
    assert.ok(body.includes(traceId), 'the span continues the incoming trace');
    const log = t.logs().find(l => l.msg === 'Request');
    assert.equal(log.traceId, traceId);
  });

  it('logs the endpoint without credentials', () => {
    assert.equal(
      safeEndpoint('https://user:pass@collector.example:4318/otlp/?key=1'),
      'https://collector.example:4318/otlp',
    );
  });
});
