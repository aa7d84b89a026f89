import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { kubernetesProvisionerServiceRef } from '@paved/plugin-kubernetes-node';
import {
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
      },
      async init({ scaffolder, provisioner }) {
        scaffolder.addActions(
          createKubernetesNamespaceProvisionAction({ provisioner }),
          createKubernetesApplyAction({ provisioner }),
          createKubernetesRolloutWaitAction({ provisioner }),
          createKubernetesNamespaceDeleteAction({ provisioner }),
        );
      },
    });
  },
});
