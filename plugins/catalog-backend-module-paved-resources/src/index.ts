/**
 * Catalogue module: Terraform workspaces that serve a component, as
 * Resource entities the component depends on.
 *
 * @packageDocumentation
 */

export { catalogModulePavedResources as default } from './module';
export { WorkspaceResourceProvider } from './WorkspaceResourceProvider';
