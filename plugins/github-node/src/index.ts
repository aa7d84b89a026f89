/**
 * GitHubRepoService: repositories born protected (rulesets, teams,
 * environments, secrets, CODEOWNERS), on @octokit/rest.
 *
 * @packageDocumentation
 */

export type {
  ArchiveRepositoryResult,
  DeleteRepositoryOptions,
  DeleteRepositoryResult,
  EnsureCodeOwnersOptions,
  EnsureCodeOwnersResult,
  EnsureEnvironmentsOptions,
  EnsureEnvironmentsResult,
  EnablePagesResult,
  GitHubEnvironmentReviewer,
  GitHubEnvironmentSpec,
  GitHubRepoPermission,
  GitHubRepoRef,
  GitHubCallOptions,
  GitHubRepoService,
  GitHubWorkflowRun,
  GrantTeamAccessOptions,
  ListWorkflowRunsOptions,
  GrantTeamAccessResult,
  OpenPullRequestOptions,
  OpenPullRequestResult,
  ProtectDefaultBranchOptions,
  ProtectDefaultBranchResult,
  RemoveCreatorAdminResult,
  SetActionsSecretsOptions,
  SetActionsSecretsResult,
  SetActionsVariablesOptions,
  SetActionsVariablesResult,
} from './GitHubRepoService';
export { DefaultGitHubRepoService } from './DefaultGitHubRepoService';
export type { DefaultGitHubRepoServiceOptions } from './DefaultGitHubRepoService';
export {
  gitHubRepoServiceFactory,
  gitHubRepoServiceRef,
} from './gitHubRepoServiceRef';
export { hasGitHubCredentials } from './hasGitHubCredentials';
export {
  PAVED_MANAGED_TOPIC,
  PAVED_OWNER_TOPIC_PREFIX,
  markerTopicsOf,
  ownerGroupOfTopics,
} from './repositories/pavedMarker';
export { GitHubRateLimitError } from './errors';
export {
  assertActionsName,
  assertBranchName,
  assertOwnerName,
  assertRepositoryName,
  assertTopics,
} from './names';
export { readGitHubRepoServiceConfig } from './readGitHubRepoServiceConfig';
export type { GitHubRepoServiceSettings } from './readGitHubRepoServiceConfig';
export {
  codeOwnerFor,
  codeOwnersContent,
} from './codeOwners/codeOwnersContent';
export { GitHubRepositoryPublisher } from './publisher/GitHubRepositoryPublisher';
export type { GitHubRepositoryPublisherOptions } from './publisher/GitHubRepositoryPublisher';
export { gitHubRepositoryPublisherServiceFactory } from './publisher/gitHubRepositoryPublisherServiceFactory';
export { GitHubWriteBudget } from './budget/GitHubWriteBudget';
export type {
  GitHubWriteBudgetOptions,
  WriteCredential,
} from './budget/GitHubWriteBudget';
export {
  gitHubWriteBudgetServiceFactory,
  gitHubWriteBudgetServiceRef,
} from './budget/gitHubWriteBudgetServiceRef';
export { DatabaseWriteSlotStore } from './budget/DatabaseWriteSlotStore';
export { MemoryWriteSlotStore } from './budget/MemoryWriteSlotStore';
export type {
  Booking,
  BookingRequest,
  WriteSlotStore,
} from './budget/WriteSlotStore';
export { GITHUB_WRITE_LIMITS, type WriteLimit } from './budget/nextWriteSlot';
