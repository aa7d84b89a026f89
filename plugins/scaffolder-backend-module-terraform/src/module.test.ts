import { startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { terraformRunnerServiceMock } from '@paved/plugin-terraform-node/testUtils';
import terraformModule from './index';

describe('terraformModule', () => {
  it('registers the terraform actions with the scaffolder, built on the plugin’s runner', async () => {
    const extensionPoint = { addActions: jest.fn() };
    const runner = terraformRunnerServiceMock({
      getPlan: jest.fn(async () => undefined),
    });
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, extensionPoint]],
      features: [
        terraformModule,
        terraformRunnerServiceMock.factory(runner),
        // The ownership service's default factory reads the catalogue.
        catalogServiceMock.factory(),
      ],
    });
    const actions = extensionPoint.addActions.mock.calls.flat();
    expect(actions.map(a => a.id)).toEqual([
      'paved:terraform:plan',
      'paved:terraform:review',
      'paved:terraform:apply',
      'paved:terraform:output',
      'paved:terraform:connection:publish',
      'paved:terraform:connection:delete',
      'paved:terraform:resource:register',
      'paved:terraform:resource:unregister',
    ]);
    for (const action of actions) {
      expect({
        id: action.id,
        dryRun: action.supportsDryRun,
        examples: action.examples.length > 0,
        described: Object.values<any>(action.schema.input.properties).every(
          p => typeof p.description === 'string' && p.description.length > 0,
        ),
        outputsDescribed: Object.values<any>(
          action.schema.output.properties,
        ).every(p => typeof p.description === 'string'),
      }).toEqual({
        id: action.id,
        dryRun: true,
        examples: true,
        described: true,
        outputsDescribed: true,
      });
    }
    // The actions use that runner.
    const review = actions.find(a => a.id === 'paved:terraform:review');
    await expect(
      review.handler({
        input: { planId: '00000000-0000-4000-8000-000000000000' },
        logger: { info: jest.fn() },
      }),
    ).rejects.toThrow(
      'planId: no saved plan 00000000-0000-4000-8000-000000000000',
    );
    expect(runner.getPlan).toHaveBeenCalledWith(
      '00000000-0000-4000-8000-000000000000',
    );
  });
});
