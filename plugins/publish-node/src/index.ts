/**
 * The one contract for publishing a repository, which GitHub and the local
 * forge implement, the naming rules they share, and the service ref that
 * gathers every publisher of the backend.
 *
 * @packageDocumentation
 */

export * from './RepositoryPublisher';
export { repositoryPublisherServiceRef } from './repositoryPublisherServiceRef';
export {
  MAX_TOPICS,
  branchNameProblem,
  gitHubRenameOf,
  ownerNameProblem,
  repositoryNameProblem,
  topicProblem,
} from './names';
export type { RepositoryNameProblem } from './names';
export { repositoryTargetOf } from './repositoryTargetOf';
export type { RepositoryTarget } from './repositoryTargetOf';
export {
  assertAllowedHost,
  defaultAllowedHosts,
  localForgeFallbackAllowed,
  noCredentialsError,
} from './publishingPolicy';
