import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: "Make the owning group's team the code owner of everything.",
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:codeowners:create',
          id: 'codeowners',
          name: 'Add CODEOWNERS',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=shop',
            owner: 'group:default/storefront',
          },
        },
      ],
    }),
  },
  {
    description:
      'Add the platform team as a second code owner, at the repository root.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:codeowners:create',
          id: 'codeowners',
          name: 'Add CODEOWNERS',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=shop',
            owner: 'group:default/storefront',
            additionalOwners: ['group:default/platform'],
            path: 'CODEOWNERS',
          },
        },
      ],
    }),
  },
];
