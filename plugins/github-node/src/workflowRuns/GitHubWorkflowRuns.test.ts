import { GitHubTestServer } from '@paved/testkit';
import { DefaultGitHubRepoService } from '../DefaultGitHubRepoService';
import { startServiceOnTestServer } from '../__testUtils__/testService';

describe('DefaultGitHubRepoService.listWorkflowRuns', () => {
  let server: GitHubTestServer;
  let service: DefaultGitHubRepoService;
  const repo = { owner: 'kestrel', name: 'shop' };

  beforeEach(async () => {
    ({ server, service } = await startServiceOnTestServer());
    await server.driver.createRepository('kestrel', 'shop');
  });

  afterEach(() => server.close());

  it('lists the runs newest first with one GET, as Paved shows them', async () => {
    const older = server.driver.actions.recordRun('kestrel/shop', {
      headSha: 'a'.repeat(40),
      createdAt: new Date('2026-03-01T10:00:00Z'),
    });
    const newer = server.driver.actions.recordRun('kestrel/shop', {
      conclusion: 'failure',
      headSha: 'b'.repeat(40),
      createdAt: new Date('2026-03-01T11:00:00Z'),
    });
    server.resetRequests();
    const runs = await service.listWorkflowRuns(repo);
    expect(runs).toEqual([
      {
        id: newer.id,
        name: 'CI',
        status: 'completed',
        conclusion: 'failure',
        headSha: 'b'.repeat(40),
        headBranch: 'main',
        event: 'push',
        htmlUrl: `${server.url}/kestrel/shop/actions/runs/${newer.id}`,
        createdAt: '2026-03-01T11:00:00Z',
      },
      expect.objectContaining({ id: older.id, conclusion: 'success' }),
    ]);
    expect(server.requests.map(r => `${r.route} ${r.status}`)).toEqual([
      'GET /repos/{owner}/{repo}/actions/runs 200',
    ]);
    expect(server.requests.filter(r => r.contentCreating)).toEqual([]);
  });

  it('lists none for a repository without runs, and fails naming a missing one', async () => {
    await expect(service.listWorkflowRuns(repo)).resolves.toEqual([]);
    await expect(
      service.listWorkflowRuns({ owner: 'kestrel', name: 'gone' }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('kestrel/gone'),
    });
  });
});
