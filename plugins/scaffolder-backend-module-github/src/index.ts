/**
 * Scaffolder actions that harden a GitHub repository (paved:github:*).
 *
 * @packageDocumentation
 */

export { scaffolderModulePavedGitHub as default } from './module';
export * from './actions';
