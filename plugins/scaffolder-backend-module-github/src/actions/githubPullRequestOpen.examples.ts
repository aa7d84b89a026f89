import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Propose the workspace's deploy/ folder as the application's manifests in the GitOps repository.",
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:pull-request:open',
          id: 'gitops',
          name: 'Propose the deployment',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=gitops',
            branchName: 'paved/shop',
            title: 'Deploy shop',
            description: 'Created by the node-service template.',
            sourcePath: 'deploy',
            targetPath: 'apps/shop',
          },
        },
      ],
    }),
  },
];
