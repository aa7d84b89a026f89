/**
 * Scaffolder actions paved:kubernetes:namespace:provision, paved:kubernetes:apply, paved:kubernetes:rollout:wait, paved:kubernetes:namespace:delete, and paved:deploy (a client of the deploy API, POST /api/deploy/deployments).
 *
 * @packageDocumentation
 */

export { scaffolderModulePavedKubernetes as default } from './module';
export * from './actions';
