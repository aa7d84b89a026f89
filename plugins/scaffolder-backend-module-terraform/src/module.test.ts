import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { fakeTerraformPath } from '@paved/testkit';
import { MODULES } from './__testUtils__/createTestRunner';
import terraformModule from './index';

describe('terraformModule', () => {
  it('registers the terraform actions with the scaffolder', async () => {
    const extensionPoint = { addActions: jest.fn() };
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, extensionPoint]],
      features: [
        terraformModule,
        mockServices.rootConfig.factory({
          data: {
            paved: {
              terraform: { binary: fakeTerraformPath, modulesDir: MODULES },
            },
          },
        }),
      ],
    });
    const actions = extensionPoint.addActions.mock.calls.flat();
    expect(actions.map(a => a.id)).toEqual([
      'terraform:plan',
      'terraform:review',
      'terraform:apply',
      'terraform:destroy',
      'terraform:output',
    ]);
    for (const action of actions) {
      expect({
        id: action.id,
        dryRun: action.supportsDryRun,
        examples: action.examples.length > 0,
      }).toEqual({
        id: action.id,
        dryRun: true,
        examples: true,
      });
      expect(
        Object.keys(action.schema.input.properties).length,
      ).toBeGreaterThan(0);
    }
  });
});
