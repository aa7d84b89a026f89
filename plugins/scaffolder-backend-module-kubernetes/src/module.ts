import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { kubernetesProvisionerServiceRef } from '@paved/plugin-kubernetes-node';
import { ownershipServiceRef } from '@paved/plugin-ownership-node';
import {
  createDeployAction,
  createKubernetesApplyAction,
  createKubernetesNamespaceDeleteAction,
  createKubernetesNamespaceProvisionAction,
  createKubernetesRolloutWaitAction,
} from './actions';

/**
 * The scaffolder module with Paved's Kubernetes actions.
 *
 * @public
 */
export const scaffolderModulePavedKubernetes = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paved-kubernetes',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        provisioner: kubernetesProvisionerServiceRef,
        ownership: ownershipServiceRef,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init(deps) {
        const { scaffolder, provisioner, ownership, auditor } = deps;
        const options = { provisioner, ownership, auditor };
        scaffolder.addActions(
          createKubernetesNamespaceProvisionAction(options),
          createKubernetesApplyAction(options),
          createKubernetesRolloutWaitAction(options),
          createKubernetesNamespaceDeleteAction(options),
          createDeployAction({ auth: deps.auth, discovery: deps.discovery }),
        );
      },
    });
  },
});
