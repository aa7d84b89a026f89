import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Publish the repository's site with GitHub Pages from its Actions workflow.",
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:pages:enable',
          id: 'pages',
          name: 'Enable GitHub Pages',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=shop',
          },
        },
      ],
    }),
  },
];
