import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from './logger.ts';

function capture(level: 'debug' | 'info' | 'warn' | 'error') {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    base: { service: 'orders' },
    write: l => lines.push(l),
  });
  return { logger, entries: () => lines.map(l => JSON.parse(l)), lines };
}

describe('createLogger', () => {
  it('writes one JSON object per line, with time, level, message and fields', () => {
    const { logger, entries, lines } = capture('info');
    logger.info('Listening', { port: 8080 });
    assert.equal(lines.length, 1);
    assert.ok(lines[0].endsWith('}\n'));
    const [entry] = entries();
    assert.equal(entry.level, 'info');
    assert.equal(entry.msg, 'Listening');
    assert.equal(entry.service, 'orders');
    assert.equal(entry.port, 8080);
    assert.ok(!Number.isNaN(Date.parse(entry.time)));
  });

  it('leaves out lines below its level', () => {
    const { logger, entries } = capture('warn');
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    assert.deepEqual(
      entries().map(e => e.msg),
      ['c', 'd'],
    );
  });

  it('never writes secrets, at any depth, and serialises errors', () => {
    const { logger, lines } = capture('debug');
    logger.child({ request: 'r1' }).error('Call failed', {
      headers: { authorization: 'Bearer abc123', 'x-api-key': 'k-456' },
      password: 'hunter2',
      nested: { clientSecret: 's-789' },
      error: new Error('boom'),
    });
    const text = lines.join('');
    for (const secret of ['abc123', 'k-456', 'hunter2', 's-789']) {
      assert.ok(!text.includes(secret), `${secret} was logged`);
    }
    const entry = JSON.parse(text);
    assert.equal(entry.request, 'r1');
    assert.equal(entry.headers.authorization, '[redacted]');
    assert.equal(entry.error.message, 'boom');
  });
});
