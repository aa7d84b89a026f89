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
export type { FailedCronJobRun, FailedCronJobRunOptions } from './cronJobRuns';
export { sampleServiceManifests } from './sampleServiceManifests';
