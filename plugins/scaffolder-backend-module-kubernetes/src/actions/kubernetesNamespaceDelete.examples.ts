import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Delete the namespace of a component's environment and wait until it is gone.",
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:kubernetes:namespace:delete',
          id: 'teardown',
          name: 'Delete the preview namespace',
          input: {
            component: 'payments-api',
            environment: 'preview',
            timeoutSeconds: 600,
          },
        },
      ],
    }),
  },
];
