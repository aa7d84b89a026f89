import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Protect the default branch, requiring the CI jobs of the workspace workflows.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:branch:protect',
          id: 'protect',
          name: 'Protect the default branch',
          input: { repoUrl: 'github.com?owner=kestrel&repo=shop' },
        },
      ],
    }),
  },
  {
    description:
      'Protect a named branch with two approvals and explicit checks.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:github:branch:protect',
          id: 'protect',
          name: 'Protect main',
          input: {
            repoUrl: 'github.com?owner=kestrel&repo=shop',
            branch: 'main',
            requiredStatusChecks: ['build', 'test'],
            requiredApprovingReviewCount: 2,
          },
        },
      ],
    }),
  },
];
