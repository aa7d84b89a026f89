import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      'Register the database workspace orders-db as a Resource that the component orders-api depends on.',
    example: `steps:
  - id: register
    name: Register the database
    action: paved:terraform:resource:register
    input:
      module: postgres-database
      workspace: orders-db
      name: orders
      component: component:default/orders-api
      type: database
`,
  },
];
