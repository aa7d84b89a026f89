export { createKubernetesNamespaceProvisionAction } from './kubernetesNamespaceProvision';
export { createKubernetesApplyAction } from './kubernetesApply';
export { createKubernetesRolloutWaitAction } from './kubernetesRolloutWait';
export { createKubernetesNamespaceDeleteAction } from './kubernetesNamespaceDelete';
export { createDeployAction } from './deploy';
