import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      'Destroy everything a workspace holds; a dry run only shows the destroy plan.',
    example: `steps:
  - id: destroy
    name: Destroy the bucket
    action: paved:terraform:destroy
    input:
      module: object-bucket
      workspace: kestrel-invoices
      variables:
        name: kestrel-invoices
        owner: billing
`,
  },
];
