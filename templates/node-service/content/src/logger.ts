import { LOG_LEVELS, type LogLevel } from './config.ts';

export type Fields = Record<string, unknown>;

/** Structured logs: one JSON object per line, on stdout. */
export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** A logger whose lines all carry `fields`. */
  child(fields: Fields): Logger;
}

// Field names whose values never reach a log line, at any depth.
const SECRET =
  /authorization|cookie|password|passwd|secret|token|api[-_]?key|credential/i;
const REDACTED = '[redacted]';

function clean(value: unknown, depth = 0): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  if (Array.isArray(value)) return value.map(v => clean(v, depth + 1));
  if (value && typeof value === 'object' && depth < 5) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET.test(k) ? REDACTED : clean(v, depth + 1),
      ]),
    );
  }
  return value;
}

/** A logger writing lines at `level` and above to `write` (stdout by default). */
export function createLogger(options: {
  level: LogLevel;
  base?: Fields;
  write?: (line: string) => void;
}): Logger {
  const min = LOG_LEVELS.indexOf(options.level);
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const base = options.base ?? {};
  const log = (level: LogLevel) => (msg: string, fields?: Fields) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const entry = {
      time: new Date().toISOString(),
      level,
      msg,
      ...base,
      ...fields,
    };
    write(`${JSON.stringify(clean(entry))}\n`);
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: fields => createLogger({ ...options, base: { ...base, ...fields } }),
  };
}
