import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  GitHubEnvironmentReviewer,
  GitHubEnvironmentSpec,
} from '@paved/plugin-github-node';
import { RepositoryTarget } from '@paved/plugin-publish-node';
import { examples } from './githubEnvironmentsCreate.examples';
import {
  doneWithoutGitHub,
  gitHubRepoTargetOf,
  repoUrlInput,
  skippedOutput,
  GitHubActionDeps,
} from './shared';
import { repositoryChange } from './repositoryChange';
import { Zod } from './Zod';

/** A catalogue ref (group:… or user:…) as a deployment reviewer. */
function reviewerOf(ref: string, field: string): GitHubEnvironmentReviewer {
  const m =
    /^(?:(group|user):)?(?:[^:/]+\/)?([A-Za-z0-9][A-Za-z0-9._-]*)$/i.exec(
      ref?.trim() ?? '',
    );
  if (!m) {
    throw new InputError(
      `${field}: "${ref}" is not a catalogue group or user, e.g. group:default/storefront`,
    );
  }
  return (m[1] ?? 'group').toLowerCase() === 'user'
    ? { user: m[2] }
    : { team: m[2] };
}

const input = {
  repoUrl: repoUrlInput,
  owner: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'The owning group (group:default/storefront): the reviewers of production deployments.',
      ),
  productionWaitTimer: (z: Zod) =>
    z
      .number()
      .int()
      .min(0)
      .max(43200)
      .optional()
      .describe(
        'Minutes a production deployment waits after approval. Default 5.',
      ),
  environments: (z: Zod) =>
    z
      .array(
        z.object({
          name: z.string().describe('The environment name.'),
          waitTimer: z
            .number()
            .int()
            .min(0)
            .max(43200)
            .optional()
            .describe('Minutes to wait before deploying.'),
          reviewers: z
            .array(z.string())
            .optional()
            .describe(
              'Groups or users (catalogue refs) who must approve deployments; at most 6.',
            ),
          preventSelfReview: z
            .boolean()
            .optional()
            .describe(
              'Whether whoever triggered a deployment may not approve it.',
            ),
          protectedBranchesOnly: z
            .boolean()
            .optional()
            .describe('Only protected branches may deploy.'),
        }),
      )
      .optional()
      .describe('Replaces the default development, staging and production.'),
};

const output = {
  skipped: skippedOutput,
  environments: (z: Zod) =>
    z.array(z.string()).describe('The environments asked for.'),
  created: (z: Zod) =>
    z
      .array(z.string())
      .describe(
        'Environments created (or configured from an unprotected default).',
      ),
  unchanged: (z: Zod) =>
    z.array(z.string()).describe('Environments already exactly so.'),
};

/** The environments a step's input asks for: its own list, else the golden path's three. */
function environmentSpecsOf(given: {
  owner?: string;
  productionWaitTimer?: number;
  environments?: Array<{
    name: string;
    waitTimer?: number;
    reviewers?: string[];
    preventSelfReview?: boolean;
    protectedBranchesOnly?: boolean;
  }>;
}): GitHubEnvironmentSpec[] {
  if (given.environments) {
    return given.environments.map((env, i) => ({
      name: env.name,
      waitTimer: env.waitTimer,
      preventSelfReview: env.preventSelfReview,
      protectedBranchesOnly: env.protectedBranchesOnly,
      reviewers: (env.reviewers ?? []).map((r, j) =>
        reviewerOf(r, `environments[${i}].reviewers[${j}]`),
      ),
    }));
  }
  if (!given.owner) {
    throw new InputError(
      'owner: needed to name the reviewers of production (or give environments)',
    );
  }
  return [
    { name: 'development' },
    { name: 'staging' },
    {
      name: 'production',
      waitTimer: given.productionWaitTimer ?? 5,
      reviewers: [reviewerOf(given.owner, 'owner')],
    },
  ];
}

function dryRunLine(
  spec: GitHubEnvironmentSpec,
  target: RepositoryTarget,
): string {
  return `Dry run: would create environment ${spec.name} of ${target.full}${
    spec.reviewers?.length
      ? ` (reviewers ${spec.reviewers
          .map(r => ('team' in r ? `team ${r.team}` : `user ${r.user}`))
          .join(', ')}, wait ${spec.waitTimer ?? 0} min)`
      : ''
  }`;
}

/**
 * Creates `paved:github:environments:create`. Upstream's
 * `github:environment:create` makes one environment per step, logs and
 * drops reviewers it cannot find (leaving production unguarded), fails on
 * a second run at its variables, and has no dry run; this one sets all
 * environments of the golden path in one checked step, and a reviewer that
 * does not exist is an error.
 *
 * @public
 */
export function createGitHubEnvironmentsCreateAction(
  options: GitHubActionDeps,
) {
  const { service, config } = options;
  return createTemplateAction({
    id: 'paved:github:environments:create',
    description:
      'Creates the deployment environments development, staging and production; production requires the owning team to approve and waits before deploying. Environments that already exist exactly so are left alone; with other rules they are a conflict.',
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const target = gitHubRepoTargetOf(ctx.input.repoUrl);
      const change = repositoryChange(ctx, options, target);
      const specs = environmentSpecsOf(ctx.input);
      const names = specs.map(s => s.name);
      ctx.output('environments', names);
      if (
        doneWithoutGitHub(ctx, {
          config,
          target,
          skipping: `environments ${names.join(', ')}`,
          dryRun: specs.map(spec => dryRunLine(spec, target)),
          none: () => {
            ctx.output('created', []);
            ctx.output('unchanged', []);
          },
        })
      ) {
        return;
      }
      const result = await ctx.checkpoint({
        key: `paved.github.environments.${target.key}.${names
          .join(',')
          .toLowerCase()}`,
        fn: change(
          {
            eventId: 'repository-environments',
            action: 'configure environments of',
          },
          async () => {
            const r = await service.ensureEnvironments(
              {
                host: target.host,
                owner: target.owner,
                name: target.name,
                environments: specs,
              },
              { logger: ctx.logger },
            );
            return { created: r.created, unchanged: r.unchanged };
          },
        ),
      });
      ctx.logger.info(
        `Environments of ${target.full}: created ${
          result.created.join(', ') || 'none'
        }; unchanged ${result.unchanged.join(', ') || 'none'}`,
      );
      ctx.output('skipped', false);
      ctx.output('created', result.created);
      ctx.output('unchanged', result.unchanged);
    },
  });
}
