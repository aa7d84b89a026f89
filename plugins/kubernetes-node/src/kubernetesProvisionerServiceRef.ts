import {
  ServiceFactory,
  ServiceRef,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DefaultKubernetesProvisioner } from './DefaultKubernetesProvisioner';
import { KubernetesProvisioner } from './KubernetesProvisioner';

function provisionerFactory(
  service: ServiceRef<KubernetesProvisioner, 'root', 'singleton'>,
): ServiceFactory<KubernetesProvisioner, 'root', 'singleton'> {
  return createServiceFactory({
    service,
    deps: { config: coreServices.rootConfig, logger: coreServices.rootLogger },
    factory({ config, logger }) {
      return DefaultKubernetesProvisioner.fromConfig(config, {
        logger: logger.child({ service: 'kubernetes-provisioner' }),
      });
    },
  });
}

/**
 * The Kubernetes provisioner, shared by every plugin of the backend (root
 * scoped, so cluster clients and their discovery caches are built once). Its
 * default factory is {@link kubernetesProvisionerServiceFactory}; replace it
 * with `backend.add(...)` of another factory for this ref.
 *
 * @public
 */
export const kubernetesProvisionerServiceRef =
  createServiceRef<KubernetesProvisioner>({
    id: 'paved.kubernetes.provisioner',
    scope: 'root',
    defaultFactory: async service => provisionerFactory(service),
  });

/**
 * Builds a {@link DefaultKubernetesProvisioner} from app-config.
 *
 * @public
 */
export const kubernetesProvisionerServiceFactory = provisionerFactory(
  kubernetesProvisionerServiceRef,
);
