import { createServiceMock } from '@backstage/backend-test-utils';
import { kubernetesProvisionerServiceRef } from '../kubernetesProvisionerServiceRef';

/**
 * A mock of the {@link KubernetesProvisioner} service for the tests of
 * plugins that use it: every operation is a `jest.fn()`, optionally with a
 * partial implementation; `.factory` replaces the service in
 * `startTestBackend`. Tests of the provisioner itself use the Kubernetes test
 * server of `@paved/testkit` instead.
 *
 * @public
 */
export const kubernetesProvisionerServiceMock = createServiceMock(
  kubernetesProvisionerServiceRef,
  () => ({
    resolveCluster: jest.fn(),
    getManifestLimits: jest.fn(),
    ensureNamespace: jest.fn(),
    apply: jest.fn(),
    setImage: jest.fn(),
    waitForRollout: jest.fn(),
    getNamespace: jest.fn(),
    deleteNamespace: jest.fn(),
    deleteObject: jest.fn(),
  }),
);
