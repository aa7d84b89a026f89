import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Deploy a commit's image to the component's dev environment and wait for the rollout.",
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:deploy',
          id: 'deploy',
          name: 'Deploy to dev',
          input: {
            entityRef: 'component:default/payments-api',
            environment: 'dev',
            image: 'ghcr.io/kestrel/payments-api:3f2c1a0',
          },
        },
      ],
    }),
  },
  {
    description:
      'Deploy an image pinned by digest; the deploy API waits for the rollout and records the deployment.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:deploy',
          id: 'deploy',
          name: 'Deploy a digest',
          input: {
            entityRef: 'component:default/payments-api',
            environment: 'dev',
            image: `ghcr.io/kestrel/payments-api@sha256:${'a1'.repeat(32)}`,
          },
        },
      ],
    }),
  },
];
