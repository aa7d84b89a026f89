import { mockServices } from '@backstage/backend-test-utils';
import { DefaultGitHubRepoService } from '@paved/plugin-github-node';
import { startGitHubTestServer } from '@paved/testkit';

/** A GitHub test server posing as github.com, and the real service on it. */
async function startGitHub() {
  const server = await startGitHubTestServer();
  const data = server.appConfig({
    host: 'github.com',
    paved: { github: { writeInterval: { milliseconds: 0 } } },
  });
  const config = mockServices.rootConfig({ data });
  const service = DefaultGitHubRepoService.fromConfig(config, {
    logger: mockServices.logger.mock(),
  });
  return { server, config, service };
}

/**
 * A GitHub test server for every test of a describe block: started before
 * each test, closed after it.
 */
export function useGitHub() {
  const h = {} as Awaited<ReturnType<typeof startGitHub>>;
  beforeEach(async () => {
    Object.assign(h, await startGitHub());
  });
  afterEach(async () => {
    await h.server.close();
  });
  return h;
}
