import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'First step of a template that creates a repository and a component: the name must be free, the repository must not exist, and the owner must be a group you belong to.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:form:check',
          id: 'check',
          name: 'Check the form',
          input: {
            name: 'invoice-service',
            owner: 'group:default/storefront',
            repoUrl: 'github.com?owner=kestrel&repo=invoice-service',
          },
        },
      ],
    }),
  },
  {
    description:
      'First step of a template that adds a resource to an existing component: the component must be one your team owns, and the resource name must be free.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:form:check',
          id: 'check',
          name: 'Check the form',
          input: {
            component: 'component:default/cart',
            name: 'cart-db',
            kind: 'Resource',
          },
        },
      ],
    }),
  },
];
