import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      'An approval between plan and apply: the review step asks the group that owns the workspace to approve the plan, logs the link to the approvals page and stops the task. When a member of that group other than the requester approves it there, the task resumes and applies exactly that plan; a rejection ends the task with its reason. Retrying the task approves nothing.',
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
    name: Approve the plan
    if: \${{ steps.plan.output.hasChanges }}
    action: paved:terraform:review
    input:
      planId: \${{ steps.plan.output.planId }}
  - id: apply
    name: Apply the approved plan
    if: \${{ steps.plan.output.hasChanges }}
    action: paved:terraform:apply
    input:
      planId: \${{ steps.plan.output.planId }}
`,
  },
];
