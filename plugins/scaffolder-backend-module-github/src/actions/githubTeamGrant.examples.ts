import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Give the owning team the maintain role.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:team:grant',
          id: 'access',
          name: 'Grant the owning team its role',
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
      'Give the team push, and remove the admin rights of the account that created the repository.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:team:grant',
          id: 'access',
          name: 'Grant push and drop the creator admin',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=shop',
            owner: 'group:default/fulfilment',
            permission: 'push',
            removeCreatorAdmin: true,
          },
        },
      ],
    }),
  },
];
