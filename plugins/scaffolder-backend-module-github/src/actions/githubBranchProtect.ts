import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { assertBranchName } from '@paved/plugin-github-node';
import { Zod } from './Zod';
import { examples } from './githubBranchProtect.examples';
import {
  doneWithoutGitHub,
  gitHubRepoTargetOf,
  repoUrlInput,
  skippedOutput,
  GitHubActionDeps,
} from './shared';
import { repositoryChange } from './repositoryChange';
import { readWorkflowChecks } from './workflowChecks';

const input = {
  repoUrl: repoUrlInput,
  branch: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        "The branch to protect; the repository's default branch when left out.",
      ),
  requiredStatusChecks: (z: Zod) =>
    z
      .array(z.string())
      .optional()
      .describe(
        'Checks that must pass before merging. By default the CI jobs of the workspace .github/workflows that run on every pull request.',
      ),
  requiredApprovingReviewCount: (z: Zod) =>
    z
      .number()
      .int()
      .min(0)
      .max(10)
      .optional()
      .describe('Approvals a pull request needs. Default 1.'),
  requireCodeOwnerReview: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe('Whether a code owner must approve. Default true.'),
};

const output = {
  skipped: skippedOutput,
  method: (z: Zod) =>
    z
      .enum(['ruleset', 'branch-protection', 'none'])
      .describe(
        'How the branch is protected; none when skipped or in a dry run.',
      ),
  rulesetId: (z: Zod) =>
    z
      .number()
      .describe(
        'The ruleset id; 0 for branch protection, when skipped or in a dry run.',
      ),
  branch: (z: Zod) =>
    z.string().describe('The branch protected, or ~DEFAULT_BRANCH.'),
  requiredStatusChecks: (z: Zod) =>
    z.array(z.string()).describe('The checks required before merging.'),
};

/** The checks given, else the CI jobs the workspace runs on every pull request. */
async function checksToRequire(
  ctx: Pick<ActionContext<any, any>, 'logger' | 'workspacePath'>,
  given: string[] | undefined,
): Promise<string[]> {
  if (given) return given;
  const found = await readWorkflowChecks(ctx.workspacePath);
  ctx.logger.info(
    `Required status checks from .github/workflows: ${
      found.checks.join(', ') || 'none'
    }`,
  );
  found.skipped.forEach(line => ctx.logger.info(`Not required: ${line}`));
  return found.checks;
}

/**
 * Creates `paved:github:branch:protect`. Upstream has
 * `github:branch-protection:create` (classic protection only) and, in newer
 * releases, `github:ruleset:create`; neither checks what already exists
 * (a second run fails or overwrites), supports dry run, falls back where
 * rulesets are unavailable, or reads the required checks from the template's
 * CI. This one does all of that through GitHubRepoService.
 *
 * @public
 */
export function createGitHubBranchProtectAction(options: GitHubActionDeps) {
  const { service, config } = options;
  return createTemplateAction({
    id: 'paved:github:branch:protect',
    description:
      'Protects the default branch with a ruleset (pull request reviews with code owners, required status checks named from the workspace CI jobs, no force-push, no deletion), falling back to branch protection where rulesets are unavailable. Safe to run again.',
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const target = gitHubRepoTargetOf(ctx.input.repoUrl);
      const change = repositoryChange(ctx, options, target);
      if (ctx.input.branch !== undefined) assertBranchName(ctx.input.branch);
      const branch = ctx.input.branch ?? '~DEFAULT_BRANCH';
      const checks = await checksToRequire(ctx, ctx.input.requiredStatusChecks);
      if (
        doneWithoutGitHub(ctx, {
          config,
          target,
          skipping: 'branch protection',
          dryRun: `Dry run: would protect ${branch} of ${
            target.full
          } with a ruleset (or branch protection), requiring ${
            ctx.input.requiredApprovingReviewCount ?? 1
          } approval(s), code owners, and checks ${
            checks.join(', ') || 'none'
          }`,
          none: () => {
            ctx.output('method', 'none');
            ctx.output('rulesetId', 0);
            ctx.output('branch', branch);
            ctx.output('requiredStatusChecks', checks);
          },
        })
      ) {
        return;
      }
      const result = await ctx.checkpoint({
        key: `paved.github.branch-protection.${target.key}.${branch}`,
        fn: change(
          {
            eventId: 'repository-protect',
            action: 'protect the default branch of',
          },
          async () => {
            const r = await service.protectDefaultBranch(
              {
                host: target.host,
                owner: target.owner,
                name: target.name,
                branch: ctx.input.branch,
                requiredStatusChecks: checks,
                requiredApprovingReviewCount:
                  ctx.input.requiredApprovingReviewCount,
                requireCodeOwnerReview: ctx.input.requireCodeOwnerReview,
              },
              { logger: ctx.logger },
            );
            return { ...r };
          },
        ),
      });
      ctx.logger.info(
        `${target.full} ${result.branch}: ${result.method} ${result.action}${
          result.rulesetId ? ` (ruleset ${result.rulesetId})` : ''
        }`,
      );
      ctx.output('skipped', false);
      ctx.output('method', result.method);
      ctx.output('rulesetId', result.rulesetId);
      ctx.output('branch', result.branch);
      ctx.output('requiredStatusChecks', result.requiredStatusChecks);
    },
  });
}
