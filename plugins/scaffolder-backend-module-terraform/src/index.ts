/**
 * Scaffolder actions terraform:plan, terraform:apply, terraform:destroy, terraform:output.
 *
 * @packageDocumentation
 */

export { terraformModule as default } from './module';
export {
  createTerraformApplyAction,
  createTerraformDestroyAction,
  createTerraformOutputAction,
  createTerraformPlanAction,
} from './actions';
