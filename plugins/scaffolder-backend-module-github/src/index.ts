/**
 * Scaffolder actions that harden a repository (paved:github:*) and publish to GitHub or to the local forge.
 *
 * @packageDocumentation
 */

export { scaffolderModulePavedGitHub as default } from './module';
export * from './actions';
