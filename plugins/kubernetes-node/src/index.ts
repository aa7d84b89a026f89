/**
 * KubernetesProvisioner: namespaces with guardrails, server-side apply, rollouts (service ref + default factory).
 *
 * @packageDocumentation
 */

export type {
  ApplyOptions,
  ApplyResult,
  DeleteNamespaceOptions,
  DeleteNamespaceResult,
  DeleteObjectOptions,
  DeleteObjectResult,
  EnsureNamespaceOptions,
  EnsureNamespaceResult,
  KubernetesProvisioner,
  KubernetesTarget,
  ManifestLimits,
  NamespaceState,
  ObjectAction,
  ObjectOutcome,
  RolloutDiagnostics,
  RolloutResult,
  SetImageOptions,
  SetImageResult,
  WaitForRolloutOptions,
  WorkloadImageOutcome,
  WorkloadRef,
  WorkloadRolloutStatus,
} from './KubernetesProvisioner';
export { DefaultKubernetesProvisioner } from './DefaultKubernetesProvisioner';
export { PAVED_IMAGE_MANAGER } from './images/ImageSetter';
export type { DefaultKubernetesProvisionerOptions } from './DefaultKubernetesProvisioner';
export {
  kubernetesProvisionerServiceFactory,
  kubernetesProvisionerServiceRef,
} from './kubernetesProvisionerServiceRef';
export {
  PAVED_LABELS,
  PAVED_MANAGER,
  assertDns1123Label,
  namespaceNameFor,
  ownerGroupName,
  pavedLabels,
  workloadLabels,
  workloadSelector,
} from './convention/labels';
export { readKubernetesProvisionerConfig } from './readKubernetesProvisionerConfig';
export type {
  KubernetesClusterAuth,
  KubernetesClusterSettings,
  KubernetesProvisionerSettings,
  Quantities,
  SizeName,
  SizeTier,
} from './readKubernetesProvisionerConfig';
export {
  parseManifests,
  assertManifest,
  assertManifestSize,
} from './apply/parseManifests';
export type {
  KubernetesManifest,
  ParseManifestsOptions,
} from './apply/parseManifests';
export {
  checkGuardrails,
  formatViolations,
} from './guardrails/checkGuardrails';
export type {
  GuardrailPolicy,
  GuardrailViolation,
} from './guardrails/GuardrailRule';
export { podTemplatePaths } from './convention/podTemplatePaths';
export { withPavedConvention } from './convention/withPavedConvention';
export {
  NAMESPACE_OBJECT_NAMES,
  renderNamespaceObjects,
} from './namespaces/renderNamespaceObjects';
