import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      "After destroying a database, delete its connection Secret from the component's dev namespace.",
    example: `steps:
  - id: connection
    name: Delete the connection details
    action: paved:terraform:connection:delete
    input:
      workspace: orders-db
      component: orders-api
`,
  },
];
