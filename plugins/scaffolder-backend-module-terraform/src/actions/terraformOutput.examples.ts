import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      "Read a workspace's outputs after apply; sensitive outputs are only named, never task outputs.",
    example: `steps:
  - id: outputs
    name: Read the database outputs
    action: paved:terraform:output
    input:
      workspace: orders-db
  - id: log
    name: Show the endpoint
    action: debug:log
    input:
      message: Database at \${{ steps.outputs.output.outputs.endpoint }}
`,
  },
];
