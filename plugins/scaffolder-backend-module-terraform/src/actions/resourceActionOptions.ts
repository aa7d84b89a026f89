import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { KubernetesProvisioner } from '@paved/plugin-kubernetes-node';
import { TerraformActionOptions } from './terraformActionOptions';

/**
 * What the actions that connect a workspace to the component it serves
 * take: the runner and checks of every Terraform action, the Kubernetes
 * provisioner (the connection Secret), the catalogue (the component) and
 * the events service (the workspace's Resource entity).
 *
 * @public
 */
export interface WorkspaceResourceActionOptions
  extends Pick<TerraformActionOptions, 'runner' | 'ownership' | 'auditor'> {
  provisioner: KubernetesProvisioner;
  catalog: CatalogService;
  events: EventsService;
}
