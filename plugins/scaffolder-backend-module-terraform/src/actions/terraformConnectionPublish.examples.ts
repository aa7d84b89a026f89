import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      "After apply, write the database's connection details into the component's dev namespace as the Secret orders-db-connection.",
    example: `steps:
  - id: connection
    name: Connection details to the component
    action: paved:terraform:connection:publish
    input:
      module: postgres-database
      workspace: orders-db
      component: orders-api
`,
  },
];
