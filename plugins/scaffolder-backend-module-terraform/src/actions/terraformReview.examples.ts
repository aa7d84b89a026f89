import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      'A manual review between plan and apply: the task stops at the review step with the plan summary, and retrying the task applies exactly that plan. The template needs spec.EXPERIMENTAL_recovery.EXPERIMENTAL_strategy: startOver for the Retry button.',
    example: `steps:
  - id: plan
    name: Plan the bucket
    action: paved:terraform:plan
    input:
      module: object-bucket
      workspace: kestrel-invoices
      owner: group:default/fulfilment
      variables:
        name: kestrel-invoices
        owner: billing
  - id: review
    name: Review the plan
    if: \${{ steps.plan.output.hasChanges }}
    action: paved:terraform:review
    input:
      planId: \${{ steps.plan.output.planId }}
  - id: apply
    name: Apply the reviewed plan
    if: \${{ steps.plan.output.hasChanges }}
    action: paved:terraform:apply
    input:
      planId: \${{ steps.plan.output.planId }}
`,
  },
];
