import { readFileSync } from 'node:fs';

/** Log levels, most verbose first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What the service reads from its environment, checked once at start. */
export interface Config {
  /** PORT: the HTTP port (default 8080). */
  port: number;
  /** SERVICE_NAME: in every log line, metric and span (default: package.json's name). */
  serviceName: string;
  /** LOG_LEVEL: debug, info, warn or error (default info). */
  logLevel: LogLevel;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: where traces go (OTLP over HTTP); tracing is off without it. */
  otlpEndpoint?: string;
  /** SHUTDOWN_DELAY_MS: how long /readyz answers 503 before the server stops accepting (default 5000). */
  shutdownDelayMs: number;
  /** SHUTDOWN_TIMEOUT_MS: how long in-flight requests get after that (default 10000). */
  shutdownTimeoutMs: number;
}

type Env = Record<string, string | undefined>;

function integer(
  env: Env,
  name: string,
  fallback: number,
  max: number,
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new Error(
      `${name}: "${raw}" is not valid; expected an integer from 0 to ${max}`,
    );
  }
  return value;
}

function packageName(): string {
  const file = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { name: string }).name;
}

function endpoint(env: Env): string | undefined {
  const raw = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(
      'OTEL_EXPORTER_OTLP_ENDPOINT: not a URL; expected e.g. http://otel-collector:4318',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      `OTEL_EXPORTER_OTLP_ENDPOINT: expected an http or https URL, not ${url.protocol}`,
    );
  }
  return raw.replace(/\/+$/, '');
}

/** Reads the configuration; throws naming the variable and what was expected. */
export function loadConfig(env: Env = process.env): Config {
  const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(
      `LOG_LEVEL: "${
        env.LOG_LEVEL
      }" is not valid; expected one of ${LOG_LEVELS.join(', ')}`,
    );
  }
  const serviceName = env.SERVICE_NAME?.trim() || packageName();
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(serviceName)) {
    throw new Error(
      `SERVICE_NAME: "${serviceName}" is not valid; expected lowercase letters, digits and dashes`,
    );
  }
  const otlpEndpoint = endpoint(env);
  return {
    port: integer(env, 'PORT', 8080, 65535),
    serviceName,
    logLevel,
    ...(otlpEndpoint && { otlpEndpoint }),
    shutdownDelayMs: integer(env, 'SHUTDOWN_DELAY_MS', 5000, 600_000),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 600_000),
  };
}
