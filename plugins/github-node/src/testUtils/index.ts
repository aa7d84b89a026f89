/**
 * Test utilities for plugins that use the GitHubRepoService.
 *
 * @packageDocumentation
 */

export { gitHubRepoServiceMock } from './gitHubRepoServiceMock';
