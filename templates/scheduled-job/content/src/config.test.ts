import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    const config = loadConfig({});
    assert.equal(config.logLevel, 'info');
    assert.equal(config.batchSize, 100);
    assert.equal(config.dryRun, false);
    assert.match(config.jobName, /^[a-z0-9-]+$/);
  });

  it('reads the environment', () => {
    assert.deepEqual(
      loadConfig({
        JOB_NAME: 'nightly',
        LOG_LEVEL: 'DEBUG',
        BATCH_SIZE: '5',
        DRY_RUN: 'true',
      }),
      {
        jobName: 'nightly',
        logLevel: 'debug',
        batchSize: 5,
        dryRun: true,
      },
    );
  });

  it('refuses bad values, naming the variable and what it expects', () => {
    assert.throws(
      () => loadConfig({ BATCH_SIZE: '0' }),
      /^Error: BATCH_SIZE: "0" is not valid; expected an integer from 1 to 1000000$/,
    );
    assert.throws(() => loadConfig({ BATCH_SIZE: 'many' }), /BATCH_SIZE/);
    assert.throws(
      () => loadConfig({ DRY_RUN: 'yes' }),
      /^Error: DRY_RUN: "yes" is not valid; expected true or false$/,
    );
    assert.throws(
      () => loadConfig({ LOG_LEVEL: 'loud' }),
      /LOG_LEVEL: "loud" is not valid/,
    );
    assert.throws(() => loadConfig({ JOB_NAME: 'Nightly Job' }), /JOB_NAME/);
  });
});
