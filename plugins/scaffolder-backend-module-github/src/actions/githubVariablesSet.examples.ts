import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Tell CI which catalogue component and owner the repository is.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:variables:set',
          id: 'variables',
          name: 'Set the Actions variables',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=shop',
            variables: {
              CATALOG_ENTITY: 'component:default/shop',
              OWNER: 'group:default/storefront',
            },
          },
        },
      ],
    }),
  },
];
