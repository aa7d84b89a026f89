/**
 * Scaffolder actions paved:terraform:plan, paved:terraform:review,
 * paved:terraform:apply and paved:terraform:output, and those connecting a
 * workspace to its component.
 *
 * @packageDocumentation
 */

export { scaffolderModulePavedTerraform as default } from './module';
export {
  createTerraformApplyAction,
  createTerraformConnectionDeleteAction,
  createTerraformConnectionPublishAction,
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
