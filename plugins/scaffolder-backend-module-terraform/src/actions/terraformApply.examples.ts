import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      'Apply the plan made by an earlier paved:terraform:plan step of the same task.',
    example: `steps:
  - id: plan
    name: Plan the database
    action: paved:terraform:plan
    input:
      module: postgres-database
      workspace: orders-db
      owner: group:default/fulfilment
      variables:
        name: orders
        owner: fulfilment
  - id: apply
    name: Apply the reviewed plan
    action: paved:terraform:apply
    input:
      planId: \${{ steps.plan.output.planId }}
`,
  },
  {
    description:
      'Apply a plan that replaces or destroys resources: refused unless allowDestroy is set.',
    example: `steps:
  - id: plan
    name: Plan the resize
    action: paved:terraform:plan
    input:
      module: redis-cache
      workspace: orders-cache
      owner: group:default/fulfilment
      variables:
        name: orders-cache
        owner: fulfilment
        node_type: cache.t4g.small
  - id: apply
    name: Apply, replacements allowed
    action: paved:terraform:apply
    input:
      planId: \${{ steps.plan.output.planId }}
      allowDestroy: true
`,
  },
];
