import { createServiceFactory } from '@backstage/backend-plugin-api';
import { terraformRunnerServiceRef } from '../terraformRunnerServiceRef';
import { TerraformRunner } from '../TerraformRunner';

/**
 * A TerraformRunner whose methods are Jest mocks, and its service factory.
 * For tests of code that takes the runner; tests of the runner itself use
 * the stand-in terraform of `@paved/testkit`.
 *
 * @public
 */
export const terraformRunnerServiceMock = Object.assign(
  (partial?: Partial<TerraformRunner>): jest.Mocked<TerraformRunner> => ({
    listModules: jest.fn(async () => []),
    plan: jest.fn(),
    getPlan: jest.fn(async (_planId: string) => undefined),
    previewPlan: jest.fn(),
    isWorkspaceKnown: jest.fn(async (_workspace: string) => false),
    getWorkspaceOwner: jest.fn(async (_workspace: string) => undefined),
    recordWorkspaceOwner: jest.fn(),
    apply: jest.fn(),
    destroy: jest.fn(),
    output: jest.fn(async (_request: { workspace: string }) => ({})),
    ...(partial as Partial<jest.Mocked<TerraformRunner>>),
  }),
  {
    /** A service factory for terraformRunnerServiceRef providing `runner`. */
    factory: (runner: TerraformRunner = terraformRunnerServiceMock()) =>
      createServiceFactory({
        service: terraformRunnerServiceRef,
        deps: {},
        factory: () => runner,
      }),
  },
);
