import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { auditEventSinkServiceRef } from '@paved/plugin-audit-node';
import { pavedAuditReadPermission } from '@paved/plugin-ownership-common';
import { AuditDrain } from './service/AuditDrain';
import { createRouter } from './service/router';
import { DatabaseAuditStore } from './store/DatabaseAuditStore';

const DEFAULT_RETENTION: HumanDuration = { days: 90 };

/**
 * The audit trail at /api/audit: stores every auditor event the sink
 * receives (from Paved's auditor factory) in its own database, serves it to
 * admins, and deletes events older than `paved.audit.retention`.
 *
 * @public
 */
export const auditPlugin = createBackendPlugin({
  pluginId: 'audit',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        sink: auditEventSinkServiceRef,
      },
      async init(deps) {
        const { config, logger, scheduler, sink } = deps;
        const retention = config.has('paved.audit.retention')
          ? readDurationFromConfig(config, { key: 'paved.audit.retention' })
          : DEFAULT_RETENTION;
        const retentionMs = durationToMilliseconds(retention);

        const store = await DatabaseAuditStore.create({
          database: deps.database,
        });
        const drain = AuditDrain.create({ sink, store, logger });
        drain.start();
        // what is still in the sink is written while the database is still open
        deps.lifecycle.addShutdownHook(() => drain.stop());

        await scheduler.scheduleTask({
          id: 'audit-retention',
          frequency: { hours: 1 },
          timeout: { minutes: 10 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            const deleted = await store.deleteOlderThan(
              Date.now() - retentionMs,
            );
            if (deleted > 0) {
              logger.info('Deleted audit events past retention', { deleted });
            }
          },
        });

        deps.permissionsRegistry.addPermissions([pavedAuditReadPermission]);
        deps.httpRouter.use(
          createRouter({
            store,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
          }),
        );
      },
    });
  },
});
