export { startGitHubTestServer } from './startGitHubTestServer';
export type {
  GitHubTestAppCredentials,
  GitHubTestRequest,
  GitHubTestServer,
  GitHubTestServerOptions,
} from './startGitHubTestServer';
export { GitHubTestDriver } from './GitHubTestDriver';
export type {
  GitHubTestApp,
  GitHubTestFault,
  GitHubTestFeatureSupport,
  GitHubTestInstallation,
  GitHubTestOrg,
  GitHubTestRepository,
  GitHubTestTeam,
  GitHubTestToken,
} from './GitHubTestDriver';
