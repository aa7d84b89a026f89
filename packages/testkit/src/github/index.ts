export { startGitHubTestServer } from './startGitHubTestServer';
export type {
  GitHubTestAppCredentials,
  GitHubTestRequest,
  GitHubTestServer,
  GitHubTestServerOptions,
} from './GitHubTestServer';
export { GitHubTestDriver } from './GitHubTestDriver';
export { GitHubActionsTestDriver } from './actions/GitHubActionsTestDriver';
export type {
  GitHubTestJobEnvironment,
  GitHubTestWorkflowRun,
} from './actions/GitHubActionsTestDriver';
export type { GitHubActionsTokenRequest } from './actions/ActionsOidcIssuer';
export type {
  GitHubTestApp,
  GitHubTestContentLimits,
  GitHubTestFault,
  GitHubTestFeatureSupport,
  GitHubTestInstallation,
  GitHubTestOrg,
  GitHubTestRepository,
  GitHubTestTeam,
  GitHubTestToken,
} from './driverTypes';
