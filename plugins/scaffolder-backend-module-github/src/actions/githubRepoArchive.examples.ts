import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Archive the repository a golden path created: read-only, and undone by unarchiving it on GitHub.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:repo:archive',
          id: 'archive',
          name: 'Archive the repository',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=shop',
          },
        },
      ],
    }),
  },
];
