/*
 * The GitHub driver's API calls and wall time to create and fully harden one
 * repository, counted at the GitHub test server (packages/testkit), through
 * the real GitHubRepoService and @octokit/rest; and how many repositories
 * one token can create per hour within GitHub's documented limits.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/github.ts [--repos=N]
 *
 * One repository is what the golden-path templates do, plus a secret and
 * topics: create (with topics), push the first commit (the node-service
 * template's content), CODEOWNERS, the default-branch ruleset, development/
 * staging/production environments (production reviewed by the owning team),
 * one Actions secret, two variables, the team's role, and removal of the
 * creator's admin rights. Target (issue 4): at most 15 API calls per
 * repository; exit code 1 when it is missed. See bench/README.md.
 */
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { silentLogger as logger } from './silentLogger';
import { DefaultGitHubRepoService } from '@paved/plugin-github-node';
import { GitHubTestServer, startGitHubTestServer } from '@paved/testkit';

const repos = Number(
  process.argv.find(a => a.startsWith('--repos='))?.split('=')[1] ?? 10,
);
const CALLS_TARGET = 15;
// GitHub's documented secondary limits on content-creating requests, and the
// primary budget of a token.
const PER_MINUTE = 80;
const PER_HOUR = 500;
const PRIMARY_PER_HOUR = 5000;
const CONTENT = path.resolve(__dirname, '../templates/node-service/content');

interface Sample {
  rest: number;
  contentCreating: number;
  git: number;
  ms: number;
  routes: string[];
}

async function harden(
  service: DefaultGitHubRepoService,
  server: GitHubTestServer,
  name: string,
): Promise<Sample> {
  server.resetRequests();
  const start = process.hrtime.bigint();
  const repo = { owner: 'kestrel', name };
  await service.createRepository({
    ...repo,
    description: 'Bench service',
    topics: ['paved', 'node-service'],
  });
  await service.pushInitialContent({
    ...repo,
    sourceDir: CONTENT,
    branch: 'main',
  });
  await service.ensureCodeOwners({
    ...repo,
    content: '* @kestrel/storefront\n',
  });
  await service.protectDefaultBranch({
    ...repo,
    requiredStatusChecks: ['build'],
  });
  await service.ensureEnvironments({
    ...repo,
    environments: [
      { name: 'development' },
      { name: 'staging' },
      { name: 'production', waitTimer: 5, reviewers: [{ team: 'storefront' }] },
    ],
  });
  await service.setActionsSecrets({
    ...repo,
    secrets: { NPM_TOKEN: 'bench-secret' },
  });
  await service.setActionsVariables({
    ...repo,
    variables: {
      CATALOG_ENTITY: `component:default/${name}`,
      OWNER: 'group:default/storefront',
    },
  });
  await service.grantTeamAccess({
    ...repo,
    team: 'storefront',
    permission: 'maintain',
    removeCreatorAdmin: true,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rest = server.requests.filter(r => r.kind === 'rest');
  return {
    rest: rest.length,
    contentCreating: rest.filter(r => r.contentCreating).length,
    git: server.requests.filter(r => r.kind === 'git').length,
    ms,
    routes: rest.map(r => `${r.route} ${r.status}`),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function row(cells: (string | number)[], widths: number[]) {
  return cells
    .map((c, i) =>
      i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]),
    )
    .join('  ');
}

async function main() {
  const server = await startGitHubTestServer();
  // Lifted for the bench only, to count rather than be stopped by them.
  server.driver.setContentCreationLimits(undefined);
  const make = (writeInterval: number) =>
    DefaultGitHubRepoService.create({
      config: new ConfigReader(server.appConfig()),
      logger,
      settings: { writeIntervalMs: writeInterval },
    });

  // Pacing off: the driver and the protocol, not the deliberate pauses.
  const service = make(0);
  const samples: Sample[] = [];
  for (let i = 0; i < repos; i++) {
    samples.push(await harden(service, server, `bench-${i}`));
  }
  // As production runs it: one second between content-creating requests.
  const paced = await harden(make(1000), server, 'bench-paced');

  const cold = samples[0];
  const warm = samples.slice(1);
  const warmRest = warm.length ? Math.max(...warm.map(s => s.rest)) : cold.rest;
  const warmWrites = warm.length
    ? Math.max(...warm.map(s => s.contentCreating))
    : cold.contentCreating;
  const worstRest = Math.max(cold.rest, warmRest);

  const widths = [44, 9, 16, 5, 12];
  console.log(
    'GitHub driver: create and fully harden one repository (GitHub test server)',
  );
  console.log(
    row(['', 'API calls', 'content-creating', 'git', 'wall time'], widths),
  );
  console.log(
    row(
      [
        'first repository (fresh process, cold caches)',
        cold.rest,
        cold.contentCreating,
        cold.git,
        `${cold.ms.toFixed(0)} ms`,
      ],
      widths,
    ),
  );
  if (warm.length) {
    console.log(
      row(
        [
          `each further one (max; median time, n=${warm.length})`,
          warmRest,
          warmWrites,
          Math.max(...warm.map(s => s.git)),
          `${median(warm.map(s => s.ms)).toFixed(0)} ms`,
        ],
        widths,
      ),
    );
  }
  console.log(
    row(
      [
        'with production pacing (1 s between writes)',
        paced.rest,
        paced.contentCreating,
        paced.git,
        `${paced.ms.toFixed(0)} ms`,
      ],
      widths,
    ),
  );
  console.log('');
  console.log('API calls of the first repository:');
  for (const r of cold.routes) console.log(`  ${r}`);
  const firstOnly = cold.routes.filter(r => !warm[0]?.routes.includes(r));
  if (firstOnly.length) {
    console.log(
      `  (cached after the first repository: ${firstOnly.join('; ')})`,
    );
  }
  console.log('');

  // Repositories one token can create and harden per hour.
  const byMinute = Math.floor(PER_MINUTE / warmWrites) * 60;
  const byHour = Math.floor(PER_HOUR / warmWrites);
  const byPrimary = Math.floor(PRIMARY_PER_HOUR / warmRest);
  const byPacing = Math.floor(3600 / (paced.ms / 1000));
  console.log(
    `Repositories per hour for one token (${warmWrites} content-creating, ${warmRest} API calls each):`,
  );
  console.log(
    `  secondary limit ${PER_MINUTE} content-creating requests/minute: ${byMinute}`,
  );
  console.log(
    `  secondary limit ${PER_HOUR} content-creating requests/hour:    ${byHour}`,
  );
  console.log(
    `  primary limit ${PRIMARY_PER_HOUR} requests/hour:                 ${byPrimary}`,
  );
  console.log(
    `  one task at a time with 1 s pacing (${(paced.ms / 1000).toFixed(
      1,
    )} s each): ${byPacing}`,
  );
  console.log(
    `  => ${Math.min(
      byMinute,
      byHour,
      byPrimary,
    )} repositories per hour (bound: ${
      byHour <= Math.min(byMinute, byPrimary)
        ? `${PER_HOUR} content-creating requests an hour`
        : 'see above'
    })`,
  );
  console.log('');
  console.log(
    `target: at most ${CALLS_TARGET} API calls per repository: ${worstRest} (${
      worstRest <= CALLS_TARGET ? 'PASS' : 'FAIL'
    })`,
  );
  await server.close();
  if (worstRest > CALLS_TARGET) process.exitCode = 1;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
