import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Record the template, its version and the answers after fetch:template, before paved:publish.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:provenance:record',
          id: 'provenance',
          name: 'Record the provenance',
          input: { answers: '${{ parameters }}' },
        },
      ],
    }),
  },
  {
    description:
      'Record them for a catalogue file in a sub-folder, leaving a field out of the answers.',
    example: yaml.stringify({
      steps: [
        {
          action: 'paved:provenance:record',
          id: 'provenance',
          name: 'Record the provenance',
          input: {
            answers: {
              name: 'invoice-service',
              owner: 'group:default/storefront',
              contactEmail: 'lena.fischer@kestrel.example',
            },
            catalogInfoPath: 'service/catalog-info.yaml',
            exclude: ['contactEmail'],
          },
        },
      ],
    }),
  },
];
