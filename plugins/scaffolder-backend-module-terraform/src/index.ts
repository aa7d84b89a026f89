/**
 * Scaffolder actions terraform:plan, terraform:review, terraform:apply,
 * terraform:destroy and terraform:output.
 *
 * @packageDocumentation
 */

export { terraformModule as default } from './module';
export {
  createTerraformApplyAction,
  createTerraformDestroyAction,
  createTerraformOutputAction,
  createTerraformPlanAction,
  createTerraformReviewAction,
  PlanReviewRequiredError,
} from './actions';
