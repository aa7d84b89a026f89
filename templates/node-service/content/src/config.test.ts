import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has defaults for everything but the service name, which comes from package.json', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.otlpEndpoint, undefined);
    assert.equal(config.shutdownDelayMs, 5000);
    assert.equal(config.shutdownTimeoutMs, 10000);
    assert.match(config.serviceName, /^[a-z0-9-]+$/);
  });

  it('reads the environment', () => {
    assert.deepEqual(
      loadConfig({
        PORT: '3000',
        SERVICE_NAME: 'orders',
        LOG_LEVEL: 'DEBUG',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        SHUTDOWN_DELAY_MS: '0',
        SHUTDOWN_TIMEOUT_MS: '2000',
      }),
      {
        port: 3000,
        serviceName: 'orders',
        logLevel: 'debug',
        otlpEndpoint: 'http://collector:4318',
        shutdownDelayMs: 0,
        shutdownTimeoutMs: 2000,
      },
    );
  });

  it('refuses bad values, naming the variable and what was expected', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), {
      message:
        'PORT: "eighty" is not valid; expected an integer from 0 to 65535',
    });
    assert.throws(() => loadConfig({ PORT: '70000' }), /^Error: PORT: /);
    assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), {
      message:
        'LOG_LEVEL: "loud" is not valid; expected one of debug, info, warn, error',
    });
    assert.throws(
      () => loadConfig({ SERVICE_NAME: 'Not Valid' }),
      /^Error: SERVICE_NAME: /,
    );
    assert.throws(
      () => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }),
      /^Error: OTEL_EXPORTER_OTLP_ENDPOINT: expected an http or https URL/,
    );
  });
});
