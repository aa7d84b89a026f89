import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the workspace, to GitHub or to the local forge depending on the configuration, and register it in the catalogue.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:publish',
          id: 'publish',
          name: 'Publish',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=invoice-service',
            owner: 'group:default/storefront',
            allowedHosts: ['github.com'],
            description: 'Sends invoices to customers',
            defaultBranch: 'main',
          },
        },
        {
          action: 'catalog:register',
          id: 'register',
          name: 'Register',
          input: {
            catalogInfoUrl: "${{ steps['publish'].output.catalogInfoUrl }}",
          },
        },
      ],
    }),
  },
  {
    description:
      'Publish one folder of the workspace as an internal repository with topics and a commit message of its own.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:publish',
          id: 'publish',
          name: 'Publish the service folder',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=tracking-docs',
            owner: 'group:default/storefront',
            sourcePath: 'site',
            repoVisibility: 'internal',
            topics: ['documentation', 'tracking'],
            gitCommitMessage: 'Create the tracking docs site',
            gitAuthorName: 'Platform team',
            gitAuthorEmail: 'platform@kestrel.example',
            catalogInfoPath: 'catalog-info.yaml',
          },
        },
      ],
    }),
  },
];
