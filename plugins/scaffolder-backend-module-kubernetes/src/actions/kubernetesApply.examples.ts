import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Apply the manifests an earlier step rendered into the workspace.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:kubernetes:apply',
          id: 'deploy',
          name: 'Deploy to dev',
          input: {
            component: 'payments-api',
            environment: 'dev',
            manifestPaths: ['kubernetes/app.yaml', 'kubernetes/config.yaml'],
          },
        },
      ],
    }),
  },
  {
    description: 'Apply inline YAML.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:kubernetes:apply',
          id: 'settings',
          name: 'Apply the settings',
          input: {
            component: 'payments-api',
            environment: 'dev',
            manifests: yaml.stringify({
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: 'payments-api-settings' },
              data: { FEATURE_REFUNDS: 'true' },
            }),
          },
        },
      ],
    }),
  },
  {
    description:
      'Take over fields another field manager changed (for example a hand-scaled replica count).',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:kubernetes:apply',
          id: 'deploy',
          name: 'Deploy and reclaim the replica count',
          input: {
            component: 'payments-api',
            environment: 'dev',
            manifestPaths: ['kubernetes/app.yaml'],
            force: true,
          },
        },
      ],
    }),
  },
];
