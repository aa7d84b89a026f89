import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Provision the namespace of a component's environment on the default cluster.",
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:kubernetes:namespace:provision',
          id: 'namespace',
          name: 'Provision the dev namespace',
          input: {
            component: 'payments-api',
            environment: 'dev',
            owner: 'group:default/team-payments',
          },
        },
      ],
    }),
  },
  {
    description: 'Provision a large namespace on a named cluster.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:kubernetes:namespace:provision',
          id: 'namespace',
          name: 'Provision the production namespace',
          input: {
            component: 'payments-api',
            environment: 'prod',
            owner: 'group:default/team-payments',
            size: 'large',
            cluster: 'prod-eu',
          },
        },
      ],
    }),
  },
  {
    description:
      "Hand a component's namespace to its new owner after the catalogue's owner changed; without changeOwner an owner change is refused.",
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:kubernetes:namespace:provision',
          id: 'namespace',
          name: 'Hand the staging namespace to its new owner',
          input: {
            component: 'payments-api',
            environment: 'staging',
            owner: 'group:default/team-checkout',
            changeOwner: true,
          },
        },
      ],
    }),
  },
];
