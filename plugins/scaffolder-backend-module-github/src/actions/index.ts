export { createGitHubBranchProtectAction } from './githubBranchProtect';
export { createGitHubCodeOwnersCreateAction } from './githubCodeOwnersCreate';
export { createGitHubEnvironmentsCreateAction } from './githubEnvironmentsCreate';
export { createGitHubPullRequestOpenAction } from './githubPullRequestOpen';
export { createGitHubSecretsSetAction } from './githubSecretsSet';
export { createGitHubTeamGrantAction } from './githubTeamGrant';
export { createGitHubVariablesSetAction } from './githubVariablesSet';
