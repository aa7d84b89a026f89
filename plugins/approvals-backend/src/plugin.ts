import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import { pavedApprovalDecidePermission } from '@paved/plugin-ownership-common';
import { ownershipServiceRef } from '@paved/plugin-ownership-node';
import { DatabaseApprovalStore } from './database/DatabaseApprovalStore';
import { ApprovalDesk } from './service/ApprovalDesk';
import { ApprovalNotifier } from './service/ApprovalNotifier';
import { DecisionRules } from './service/DecisionRules';
import { createRouter } from './service/router';
import { ScaffolderTaskResumer } from './service/TaskResumer';

/**
 * Approvals at /api/approvals: requests for approval (a Terraform plan)
 * that a member of the owning group other than the requester decides, as
 * the permission policy allows (`paved.approval.decide`); the owning group
 * and the requester are notified, every decision is audited, and the
 * waiting task is resumed.
 *
 * @public
 */
export const approvalsPlugin = createBackendPlugin({
  pluginId: 'approvals',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        notifications: notificationService,
        ownership: ownershipServiceRef,
      },
      async init(deps) {
        const { logger, httpRouter, httpAuth, permissions, ownership } = deps;
        deps.permissionsRegistry.addPermissions([
          pavedApprovalDecidePermission,
        ]);
        const desk = ApprovalDesk.create({
          store: await DatabaseApprovalStore.create({
            database: deps.database,
          }),
          rules: DecisionRules.create({ permissions, ownership }),
          notifier: ApprovalNotifier.create({
            notifications: deps.notifications,
            logger,
          }),
          resumer: ScaffolderTaskResumer.create({
            discovery: deps.discovery,
            auth: deps.auth,
            logger,
          }),
          auditor: deps.auditor,
          appBaseUrl: deps.config.getString('app.baseUrl'),
        });
        httpRouter.use(createRouter({ desk, httpAuth }));
      },
    });
  },
});
