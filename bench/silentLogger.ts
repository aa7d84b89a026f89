import type { LoggerService } from '@backstage/backend-plugin-api';

/** A logger that drops everything: the benches time the drivers, not their logs. */
export const silentLogger: LoggerService = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => silentLogger,
};
