import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      'Plan a PostgreSQL database from the vetted module; the summary is a task output shown before apply.',
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
        instance_class: db.t4g.small
        multi_az: true
`,
  },
  {
    description: 'Plan a bucket with CORS for browser reads.',
    example: `steps:
  - id: plan-bucket
    name: Plan the bucket
    action: paved:terraform:plan
    input:
      module: object-bucket
      workspace: kestrel-invoices
      owner: group:default/fulfilment
      variables:
        name: kestrel-invoices
        owner: billing
        cors_allowed_origins:
          - https://billing.kestrel.example
`,
  },
];
