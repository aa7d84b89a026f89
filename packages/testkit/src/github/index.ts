export { startGitHubTestServer } from './startGitHubTestServer';
export type {
  GitHubTestAppCredentials,
  GitHubTestRequest,
  GitHubTestServer,
  GitHubTestServerOptions,
} from './GitHubTestServer';
export { GitHubTestDriver } from './GitHubTestDriver';
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
