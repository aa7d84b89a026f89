import {
  AuditorServiceEventSeverityLevel,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  AuditorEvent,
  DefaultAuditorService,
} from '@backstage/backend-defaults/auditor';
import { Config } from '@backstage/config';
import { auditEventSinkServiceRef } from './auditEventSinkServiceRef';

type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const DEFAULT_LEVELS: Record<AuditorServiceEventSeverityLevel, LogLevel> = {
  low: 'debug',
  medium: 'info',
  high: 'info',
  critical: 'info',
};

/** `backend.auditor.severityLogLevelMappings`, as upstream's factory reads it. */
function logLevels(config: Config) {
  const levels = { ...DEFAULT_LEVELS };
  for (const severity of Object.keys(levels) as Array<keyof typeof levels>) {
    const level = config.getOptionalString(
      `backend.auditor.severityLogLevelMappings.${severity}`,
    );
    if (level) levels[severity] = level as LogLevel;
  }
  return levels;
}

/**
 * Backstage's auditor for every plugin, as upstream's default: each event is
 * logged through the plugin's logger (`isAuditEvent: true`, the level from
 * `backend.auditor.severityLogLevelMappings`), and is also handed to the
 * audit sink, from which the audit plugin stores it.
 *
 * @public
 */
export const auditorServiceFactory = createServiceFactory({
  service: coreServices.auditor,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.logger,
    auth: coreServices.auth,
    httpAuth: coreServices.httpAuth,
    plugin: coreServices.pluginMetadata,
    sink: auditEventSinkServiceRef,
  },
  factory({ config, logger, auth, httpAuth, plugin, sink }) {
    const auditLogger = logger.child({ isAuditEvent: true });
    const levels = logLevels(config);
    return DefaultAuditorService.create(
      (event: AuditorEvent) => {
        const level = levels[event.severityLevel] ?? 'info';
        const message = `${event.plugin}.${event.eventId}`;
        if ('error' in event) {
          const { error, ...rest } = event;
          auditLogger.child(rest)[level](message, error);
        } else {
          auditLogger[level](message, event);
        }
        sink.push(event);
      },
      { plugin, auth, httpAuth },
    );
  },
});
