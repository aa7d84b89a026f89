import {
  ServiceFactory,
  ServiceRef,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { AuditEventSink } from './AuditEventSink';
import { DefaultAuditEventSink } from './DefaultAuditEventSink';

function sinkFactory(
  service: ServiceRef<AuditEventSink, 'root', 'singleton'>,
): ServiceFactory<AuditEventSink, 'root', 'singleton'> {
  return createServiceFactory({
    service,
    deps: { config: coreServices.rootConfig, logger: coreServices.rootLogger },
    factory: ({ config, logger }) =>
      DefaultAuditEventSink.fromConfig(config, {
        logger: logger.child({ type: 'audit' }),
      }),
  });
}

/**
 * The process's one audit sink (root-scoped): every plugin's auditor
 * pushes into it, the audit plugin drains it into its table. Its default
 * factory is {@link auditEventSinkServiceFactory}.
 *
 * @public
 */
export const auditEventSinkServiceRef = createServiceRef<AuditEventSink>({
  id: 'paved.audit.sink',
  scope: 'root',
  defaultFactory: async service => sinkFactory(service),
});

/**
 * The default {@link AuditEventSink}: in memory, bounded.
 *
 * @public
 */
export const auditEventSinkServiceFactory = sinkFactory(
  auditEventSinkServiceRef,
);
