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
      },
      async init({ scaffolder, provisioner, ownership, auditor }) {
        const options = { provisioner, ownership, auditor };
        scaffolder.addActions(
          createKubernetesNamespaceProvisionAction(options),
          createKubernetesApplyAction(options),
          createKubernetesRolloutWaitAction(options),
          createKubernetesNamespaceDeleteAction(options),
          createDeployAction(options),
        );
      },
    });
  },
});
