export { startKubernetesTestServer } from './startKubernetesTestServer';
export type {
  KubernetesTestRequest,
  KubernetesTestServer,
  KubernetesTestServerOptions,
} from './startKubernetesTestServer';
export { KubernetesTestDriver } from './KubernetesTestDriver';
export type {
  CrashLoopOptions,
  KubernetesDenyRule,
  KubernetesHangRule,
  KubernetesObjectRef,
  NamespaceTerminationMode,
  RolloutMode,
} from './KubernetesTestDriver';
export { sampleServiceManifests } from './sampleServiceManifests';
