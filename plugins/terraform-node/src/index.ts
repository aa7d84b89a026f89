/**
 * TerraformRunner: vetted modules, plan before apply, one run per workspace across replicas.
 *
 * @packageDocumentation
 */

export * from './TerraformRunner';
export { DefaultTerraformRunner } from './DefaultTerraformRunner';
export {
  terraformRunnerServiceFactory,
  terraformRunnerServiceRef,
} from './terraformRunnerServiceRef';
export {
  readTerraformRunnerConfig,
  type TerraformRunnerSettings,
} from './readTerraformRunnerConfig';
export { type TerraformBackendSettings } from './state/readStateBackendConfig';
export {
  ModuleCatalog,
  type TerraformModule,
  type TerraformModuleVariable,
} from './modules/ModuleCatalog';
export {
  TerraformRunError,
  type TerraformRunErrorReason,
  type TerraformStateLock,
} from './errors';
export { SecretRedactor } from './SecretRedactor';
export { formatResourceChange, planSummaryLines } from './plans/summarizePlan';
export {
  MODULE_ANNOTATION,
  NAME_ANNOTATION,
  WORKSPACE_ANNOTATION,
  WORKSPACE_RESOURCES_TOPIC,
  workspaceLocationKey,
  workspaceResourceEntity,
  workspaceResourceRef,
} from './resources/workspaceResources';
export type {
  WorkspaceResource,
  WorkspaceResourceEvent,
} from './resources/workspaceResources';
