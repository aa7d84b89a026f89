/**
 * The local forge: bare git repositories under the data folder, for the embedded default without GitHub.
 *
 * @packageDocumentation
 */

export * from './LocalForge';
export { DefaultLocalForge, readLocalForgeConfig } from './DefaultLocalForge';
export type { LocalForgeOptions } from './DefaultLocalForge';
export {
  localForgeServiceRef,
  localForgeServiceFactory,
} from './localForgeServiceRef';
export { ForgeUrls } from './ForgeUrls';
export type { ForgeUrlParts, ForgeUrlView } from './ForgeUrls';
export { ForgeUrlReader } from './ForgeUrlReader';
export type { ForgeReadTreeResponseFactory } from './ForgeUrlReader';
export {
  normalizeForgeOwner,
  normalizeForgeRepositoryName,
  normalizeForgeRepositoryRef,
  validateForgeBranchName,
} from './names';
export type { ForgeRepositoryRef } from './names';
export {
  forgePermissions,
  forgeRepositoryDeletePermission,
} from './permissions';
export { LocalForgeRepositoryPublisher } from './publisher/LocalForgeRepositoryPublisher';
export type { LocalForgeRepositoryPublisherOptions } from './publisher/LocalForgeRepositoryPublisher';
export { localForgeRepositoryPublisherServiceFactory } from './publisher/localForgeRepositoryPublisherServiceFactory';
