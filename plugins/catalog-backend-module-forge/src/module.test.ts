import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { ForgeSourceLocationProcessor } from './ForgeSourceLocationProcessor';
import { catalogModulePavedForge } from './module';

describe('catalogModulePavedForge', () => {
  it('adds the source-location processor for the configured backend URL', async () => {
    const addProcessor = jest.fn();
    await startTestBackend({
      extensionPoints: [[catalogProcessingExtensionPoint, { addProcessor }]],
      features: [
        catalogModulePavedForge,
        mockServices.rootConfig.factory({
          data: { backend: { baseUrl: 'http://portal.example:7007' } },
        }),
      ],
    });
    expect(addProcessor).toHaveBeenCalledTimes(1);
    const processor = addProcessor.mock.calls[0][0];
    expect(processor).toBeInstanceOf(ForgeSourceLocationProcessor);
    const entity = await processor.preProcessEntity(
      { apiVersion: 'v1', kind: 'Component', metadata: { name: 'x' } },
      {
        type: 'url',
        target:
          'http://portal.example:7007/api/forge/k/x/blob/main/catalog-info.yaml',
      },
    );
    expect(entity.metadata.annotations['backstage.io/source-location']).toBe(
      'url:http://portal.example:7007/api/forge/k/x/tree/main/',
    );
  });
});
