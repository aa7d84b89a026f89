import { readFileSync } from 'node:fs';

/** Log levels, most verbose first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What the job reads from its environment, checked once before it starts. */
export interface Config {
  /** JOB_NAME: in every log line (default: package.json's name). */
  jobName: string;
  /** LOG_LEVEL: debug, info, warn or error (default info). */
  logLevel: LogLevel;
  /** BATCH_SIZE: how many items one run works through (default 100). */
  batchSize: number;
  /** DRY_RUN: "true" to do everything but the writes (default false). */
  dryRun: boolean;
}

type Env = Record<string, string | undefined>;

function integer(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `${name}: "${raw}" is not valid; expected an integer from ${min} to ${max}`,
    );
  }
  return value;
}

function boolean(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new Error(
    `${name}: "${env[name]}" is not valid; expected true or false`,
  );
}

function packageName(): string {
  const file = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { name: string }).name;
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
  const jobName = env.JOB_NAME?.trim() || packageName();
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(jobName)) {
    throw new Error(
      `JOB_NAME: "${jobName}" is not valid; expected lowercase letters, digits and dashes`,
    );
  }
  return {
    jobName,
    logLevel,
    batchSize: integer(env, 'BATCH_SIZE', 100, 1, 1_000_000),
    dryRun: boolean(env, 'DRY_RUN'),
  };
}
