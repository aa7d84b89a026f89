import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Wait until every Deployment and StatefulSet of the component's environment is available.",
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:kubernetes:rollout:wait',
          id: 'rollout',
          name: 'Wait for the rollout',
          input: {
            component: 'payments-api',
            environment: 'dev',
          },
        },
      ],
    }),
  },
  {
    description: 'Wait for one Deployment, for at most ten minutes.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:kubernetes:rollout:wait',
          id: 'rollout',
          name: 'Wait for the API',
          input: {
            component: 'payments-api',
            environment: 'dev',
            workloads: ['Deployment/payments-api'],
            timeoutSeconds: 600,
          },
        },
      ],
    }),
  },
];
