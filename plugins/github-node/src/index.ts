/**
 * GitHubRepoService: repositories born protected (rulesets, teams, environments, secrets, CODEOWNERS), on @octokit/rest.
 *
 * @packageDocumentation
 */

export {};
