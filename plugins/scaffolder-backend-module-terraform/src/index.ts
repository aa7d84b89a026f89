/**
 * Scaffolder actions paved:terraform:plan, paved:terraform:review, paved:terraform:apply,
 * paved:terraform:destroy and paved:terraform:output.
 *
 * @packageDocumentation
 */

export { scaffolderModulePavedTerraform as default } from './module';
export {
  createTerraformApplyAction,
  createTerraformConnectionDeleteAction,
  createTerraformConnectionPublishAction,
  createTerraformDestroyAction,
  createTerraformOutputAction,
  createTerraformPlanAction,
  createTerraformResourceRegisterAction,
  createTerraformResourceUnregisterAction,
  createTerraformReviewAction,
  PlanRejectedError,
  PlanReviewRequiredError,
} from './actions';
export type { TerraformActionOptions } from './actions/terraformActionOptions';
export type { WorkspaceResourceActionOptions } from './actions/resourceActionOptions';
