import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { EXIT, main } from './main.ts';

function capture() {
  const lines: string[] = [];
  return {
    write: (line: string) => lines.push(line),
    entries: () => lines.map(l => JSON.parse(l)),
  };
}

describe('main', () => {
  it('runs once and exits 0, logging the run as JSON lines', async () => {
    const out = capture();
    const seen: number[] = [];
    const code = await main({
      env: { JOB_NAME: 'nightly', BATCH_SIZE: '3' },
      signal: new AbortController().signal,
      write: out.write,
      process: async index => {
        seen.push(index);
      },
    });
    assert.equal(code, EXIT.ok);
    assert.deepEqual(seen, [0, 1, 2]);
    const entries = out.entries();
    assert.deepEqual(
      entries.map(e => [e.level, e.msg, e.job]),
      [
        ['info', 'Run started', 'nightly'],
        ['info', 'Run succeeded', 'nightly'],
      ],
    );
    assert.equal(entries[1].processed, 3);
  });

  it('exits 1 when an item fails, with the error in the log', async () => {
    const out = capture();
    const code = await main({
      env: { BATCH_SIZE: '3' },
      signal: new AbortController().signal,
      write: out.write,
      process: async index => {
        if (index === 1) throw new Error('upstream answered 503');
      },
    });
    assert.equal(code, EXIT.failed);
    const failed = out.entries().find(e => e.msg === 'Run failed');
    assert.equal(failed.level, 'error');
    assert.equal(failed.error.message, 'upstream answered 503');
  });

  it('stops at the next item on SIGTERM and exits 143', async () => {
    const out = capture();
    const stop = new AbortController();
    const code = await main({
      env: { BATCH_SIZE: '100' },
      signal: stop.signal,
      write: out.write,
      process: async index => {
        if (index === 4) stop.abort('SIGTERM');
      },
    });
    assert.equal(code, EXIT.terminated);
    const stopped = out
      .entries()
      .find(e => e.msg === 'Run stopped by a signal');
    assert.equal(stopped.processed, 5);
  });

  it('exits 2 on bad configuration, before any work', async () => {
    const out = capture();
    let called = false;
    const code = await main({
      env: { BATCH_SIZE: '-1' },
      signal: new AbortController().signal,
      write: out.write,
      process: async () => {
        called = true;
      },
    });
    assert.equal(code, EXIT.config);
    assert.equal(called, false);
    assert.match(out.entries()[0].error, /^BATCH_SIZE/);
  });

  it('runs as a process: one run, exit code 0, JSON on stdout', async () => {
    const child = spawn(
      process.execPath,
      [new URL('./index.ts', import.meta.url).pathname],
      {
        env: { ...process.env, BATCH_SIZE: '2', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    const code = await new Promise(resolve => child.on('exit', resolve));
    assert.equal(code, 0);
    const lines = stdout
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    assert.deepEqual(
      lines.map(l => l.msg),
      ['Run started', 'Run succeeded'],
    );
  });
});
