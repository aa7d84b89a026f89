import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      'After destroying a database, remove its Resource entity from the catalogue.',
    example: `steps:
  - id: unregister
    name: Unregister the database
    action: paved:terraform:resource:unregister
    input:
      workspace: orders-db
`,
  },
];
