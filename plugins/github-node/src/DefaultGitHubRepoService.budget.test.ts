/*
 * The write budget across replicas: two services (two replicas of the
 * backend) on one database and one GitHub test server that keeps GitHub's
 * secondary limits on a shorter clock. A burst of writes from both stays
 * under the limits when the budget is shared, and is refused when each
 * replica paces only its own writes.
 */
import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { GitHubTestServer, startGitHubTestServer } from '@paved/testkit';
import knexFactory, { Knex } from 'knex';
import { capturingLogger } from './__testUtils__/testService';
import { DatabaseWriteSlotStore } from './budget/DatabaseWriteSlotStore';
import { GitHubWriteBudget } from './budget/GitHubWriteBudget';
import { MemoryWriteSlotStore } from './budget/MemoryWriteSlotStore';
import { WriteSlotStore } from './budget/WriteSlotStore';
import { DefaultGitHubRepoService } from './DefaultGitHubRepoService';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

// GitHub's 80 a minute and 500 an hour, scaled: 6 per 1.5 s, 40 per 90 s.
const SCALE = 0.025;
const serverLimits = { perMinute: 6, perHour: 40, timeScale: SCALE };
const limits = [
  { writes: 6, perMs: 60_000 * SCALE },
  { writes: 40, perMs: 3_600_000 * SCALE },
];
const WRITES = 16;

/** A replica's service, its writes taking turns in `store`. */
function replica(server: GitHubTestServer, store: WriteSlotStore) {
  const logger = capturingLogger();
  const service = DefaultGitHubRepoService.create({
    config: new ConfigReader(server.appConfig({})),
    logger,
    settings: { writeIntervalMs: 0 },
    retryBaseMs: 5,
    freshRepoRetryDelaysMs: [5, 10, 20],
    writeBudget: GitHubWriteBudget.create({
      store,
      limits,
      // Spread evenly over the window, as the default spacing does.
      intervalMs: 250,
      maxWaitMs: 60_000,
    }),
  });
  return { service, logger };
}

/**
 * Sixteen repositories created at once, eight by each replica: twice what
 * either may send in a window on its own, so two budgets of their own send
 * twelve at once, and GitHub takes six.
 */
async function burst(
  server: GitHubTestServer,
  stores: [WriteSlotStore, WriteSlotStore],
) {
  const replicas = stores.map(store => replica(server, store));
  const taskLog = capturingLogger();
  const results = await Promise.allSettled(
    Array.from({ length: WRITES }, (_, i) =>
      replicas[i % 2].service.createRepository(
        { owner: 'kestrel', name: `service-${i}` },
        { logger: taskLog },
      ),
    ),
  );
  const refusals = server.requests.filter(
    r => r.contentCreating && r.status === 403,
  );
  return { results, refusals, taskLog };
}

describe.each(databases.eachSupportedId())(
  'the GitHub write budget shared by two replicas (%s)',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    let other: Knex;
    let server: GitHubTestServer;
    beforeAll(async () => {
      knex = await databases.init(databaseId);
      other = databaseId.startsWith('POSTGRES')
        ? knexFactory({
            client: 'pg',
            connection: knex.client.config.connection,
          })
        : knex;
    });
    afterAll(async () => {
      if (other !== knex) await other.destroy();
    });
    beforeEach(async () => {
      server = await startGitHubTestServer();
      server.driver.setContentCreationLimits(serverLimits);
    });
    afterEach(() => server.close());

    const storeOn = (k: Knex) =>
      DatabaseWriteSlotStore.create({
        database: mockServices.database({
          knex: k,
          migrations: { skip: false },
        }),
      });

    it('creates every repository of a burst without one refusal, the waits said in the task log', async () => {
      const { results, refusals, taskLog } = await burst(server, [
        await storeOn(knex),
        await storeOn(other),
      ]);
      expect(
        results.map(r => (r.status === 'rejected' ? String(r.reason) : 'ok')),
      ).toEqual(Array(WRITES).fill('ok'));
      expect(refusals).toEqual([]);
      expect(
        server.requests.filter(r => r.route === 'POST /orgs/{org}/repos'),
      ).toHaveLength(WRITES);
      expect(
        taskLog.lines.filter(l =>
          /^info Waiting for GitHub's write budget: \d+ writes? ahead, about \d+ s /.test(
            l,
          ),
        ).length,
      ).toBeGreaterThan(0);
    });

    it('is refused by GitHub when each replica keeps a budget of its own', async () => {
      const { refusals } = await burst(server, [
        new MemoryWriteSlotStore(),
        new MemoryWriteSlotStore(),
      ]);
      expect(refusals.length).toBeGreaterThan(0);
    });
  },
);
