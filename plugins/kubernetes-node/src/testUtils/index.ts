/**
 * Test utilities for plugins that use the KubernetesProvisioner service.
 *
 * @packageDocumentation
 */

export { kubernetesProvisionerServiceMock } from './kubernetesProvisionerServiceMock';
