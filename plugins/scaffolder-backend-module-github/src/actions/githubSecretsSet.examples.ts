import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Set the NPM_TOKEN Actions secret from a template parameter with ui:field: Secret named npmToken.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:secrets:set',
          id: 'secrets',
          name: 'Set the Actions secrets',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=shop',
            secrets: { NPM_TOKEN: 'npmToken' },
          },
        },
      ],
    }),
  },
  {
    description:
      'Set optional secrets: those the user left empty are left out.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:secrets:set',
          id: 'secrets',
          name: 'Set the optional Actions secrets',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=shop',
            secrets: { SENTRY_DSN: 'sentryDsn', SLACK_WEBHOOK: 'slackWebhook' },
            skipMissing: true,
          },
        },
      ],
    }),
  },
];
