/**
 * Scaffolder actions paved:kubernetes:namespace:provision, paved:kubernetes:apply, paved:kubernetes:rollout:wait, paved:kubernetes:namespace:delete, paved:deploy.
 *
 * @packageDocumentation
 */

export { scaffolderModulePavedKubernetes as default } from './module';
export * from './actions';
