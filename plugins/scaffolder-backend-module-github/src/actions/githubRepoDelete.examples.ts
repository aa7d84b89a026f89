import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Delete the repository a golden path created, as long as it holds nothing but what Paved put there.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:repo:delete',
          id: 'delete',
          name: 'Delete the repository',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=shop',
          },
        },
      ],
    }),
  },
  {
    description:
      'Delete the repository whatever it holds: branches, commits, issues and pull requests are lost.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:repo:delete',
          id: 'delete',
          name: 'Delete the repository and its work',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=shop',
            force: true,
          },
        },
      ],
    }),
  },
];
