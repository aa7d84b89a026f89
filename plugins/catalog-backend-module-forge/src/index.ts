/**
 * Catalogue module for the local forge: entities read from a forge repository get their source location.
 *
 * @packageDocumentation
 */

export { catalogModulePavedForge as default } from './module';
export { ForgeSourceLocationProcessor } from './ForgeSourceLocationProcessor';
