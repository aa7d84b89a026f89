import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Create development, staging and production; the owning team approves production deployments.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:environments:create',
          id: 'environments',
          name: 'Create the deployment environments',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=shop',
            owner: 'group:default/storefront',
            productionWaitTimer: 10,
          },
        },
      ],
    }),
  },
  {
    description: 'Create environments of your own.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:environments:create',
          id: 'environments',
          name: 'Create the deployment environments',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=shop',
            environments: [
              { name: 'preview' },
              {
                name: 'live',
                waitTimer: 30,
                reviewers: [
                  'group:default/platform',
                  'group:default/storefront',
                ],
                preventSelfReview: true,
              },
            ],
          },
        },
      ],
    }),
  },
];
