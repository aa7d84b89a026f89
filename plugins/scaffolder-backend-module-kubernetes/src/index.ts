/**
 * Scaffolder actions kubernetes:namespace:provision, kubernetes:apply, kubernetes:rollout:wait, kubernetes:namespace:delete.
 *
 * @packageDocumentation
 */

export { scaffolderModulePavedKubernetes as default } from './module';
export * from './actions';
