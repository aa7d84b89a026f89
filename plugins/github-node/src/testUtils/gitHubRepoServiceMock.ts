import { createServiceMock } from '@backstage/backend-test-utils';
import { gitHubRepoServiceRef } from '../gitHubRepoServiceRef';

/**
 * A mock of the {@link GitHubRepoService} for the tests of plugins that use
 * it: every operation is a `jest.fn()`, optionally with a partial
 * implementation; `.factory` replaces the service in `startTestBackend`.
 * Tests of the service itself, and of anything where GitHub's answers
 * matter, use the GitHub test server of `@paved/testkit` instead.
 *
 * @public
 */
export const gitHubRepoServiceMock = createServiceMock(
  gitHubRepoServiceRef,
  () => ({
    createRepository: jest.fn(),
    pushInitialContent: jest.fn(),
    protectDefaultBranch: jest.fn(),
    grantTeamAccess: jest.fn(),
    removeCreatorAdmin: jest.fn(),
    ensureEnvironments: jest.fn(),
    enablePages: jest.fn(),
    setActionsSecrets: jest.fn(),
    setActionsVariables: jest.fn(),
    ensureCodeOwners: jest.fn(),
    openPullRequest: jest.fn(),
    listWorkflowRuns: jest.fn(),
    recordedOwner: jest.fn(),
    archiveRepository: jest.fn(),
    deleteRepository: jest.fn(),
  }),
);
