/**
 * The `paved:publish` scaffolder action.
 *
 * @packageDocumentation
 */

export { scaffolderModulePavedPublish as default } from './module';
export { createPavedPublishAction, publisherFor } from './actions/publish';
