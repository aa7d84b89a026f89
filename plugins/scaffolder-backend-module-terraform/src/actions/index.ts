export { createTerraformPlanAction } from './terraformPlan';
export { createTerraformApplyAction } from './terraformApply';
export { createTerraformOutputAction } from './terraformOutput';
export {
  createTerraformReviewAction,
  PlanRejectedError,
  PlanReviewRequiredError,
} from './terraformReview';
export { createTerraformConnectionPublishAction } from './terraformConnectionPublish';
export { createTerraformConnectionDeleteAction } from './terraformConnectionDelete';
export { createTerraformResourceRegisterAction } from './terraformResourceRegister';
export { createTerraformResourceUnregisterAction } from './terraformResourceUnregister';
