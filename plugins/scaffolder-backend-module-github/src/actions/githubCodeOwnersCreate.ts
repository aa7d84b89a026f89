import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  assertBranchName,
  codeOwnerFor,
  codeOwnersContent,
} from '@paved/plugin-github-node';
import { examples } from './githubCodeOwnersCreate.examples';
import {
  doneWithoutGitHub,
  gitHubRepoTargetOf,
  repoUrlInput,
  skippedOutput,
  GitHubActionDeps,
} from './shared';
import { repositoryChange } from './repositoryChange';
import { Zod } from './Zod';

const input = {
  repoUrl: repoUrlInput,
  owner: (z: Zod) =>
    z
      .string()
      .describe(
        'The catalogue owner (group:default/storefront, or user:default/jdoe).',
      ),
  additionalOwners: (z: Zod) =>
    z
      .array(z.string())
      .optional()
      .describe('More catalogue owners who own every path.'),
  path: (z: Zod) =>
    z
      .enum(['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'])
      .optional()
      .describe('Where to write it. Default .github/CODEOWNERS.'),
  branch: (z: Zod) =>
    z
      .string()
      .optional()
      .describe("The branch; the repository's default branch when left out."),
};

const output = {
  skipped: skippedOutput,
  path: (z: Zod) => z.string().describe('The file written.'),
  owners: (z: Zod) =>
    z.array(z.string()).describe('The code owners, as GitHub handles.'),
  action: (z: Zod) =>
    z
      .enum(['created', 'unchanged', 'none'])
      .describe('What was done; none when skipped or in a dry run.'),
  commitSha: (z: Zod) =>
    z
      .string()
      .describe('The commit that added it; empty when nothing was committed.'),
};

/**
 * Creates `paved:github:codeowners:create`; upstream has no CODEOWNERS
 * action. Run it before `paved:github:branch:protect`: afterwards the
 * default branch only takes pull requests.
 *
 * @public
 */
export function createGitHubCodeOwnersCreateAction(options: GitHubActionDeps) {
  const { service, config } = options;
  return createTemplateAction({
    id: 'paved:github:codeowners:create',
    description:
      "Adds a CODEOWNERS file making the catalogue owner (a group's GitHub team, or a user) the code owner of every path. Run it before protecting the branch.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const target = gitHubRepoTargetOf(ctx.input.repoUrl);
      const change = repositoryChange(ctx, options, target);
      if (ctx.input.branch !== undefined) assertBranchName(ctx.input.branch);
      const filePath = ctx.input.path ?? '.github/CODEOWNERS';
      const owners = [
        ctx.input.owner,
        ...(ctx.input.additionalOwners ?? []),
      ].map(o => codeOwnerFor(o, target.owner));
      const unique = [...new Set(owners)];
      ctx.output('path', filePath);
      ctx.output('owners', unique);
      const content = codeOwnersContent(unique, ctx.input.owner);
      if (
        doneWithoutGitHub(ctx, {
          config,
          target,
          skipping: filePath,
          dryRun: `Dry run: would add ${filePath} to ${target.full}:\n${content}`,
          none: () => {
            ctx.output('action', 'none');
            ctx.output('commitSha', '');
          },
        })
      ) {
        return;
      }
      const result = await ctx.checkpoint({
        key: `paved.github.codeowners.${target.key}.${filePath}`,
        fn: change(
          { eventId: 'repository-codeowners', action: 'add CODEOWNERS to' },
          async () => {
            const r = await service.ensureCodeOwners(
              {
                host: target.host,
                owner: target.owner,
                name: target.name,
                path: filePath,
                branch: ctx.input.branch,
                content,
              },
              { logger: ctx.logger },
            );
            return { ...r };
          },
        ),
      });
      ctx.logger.info(
        `${filePath} of ${target.full}: ${result.action} (${unique.join(' ')})`,
      );
      ctx.output('skipped', false);
      ctx.output('action', result.action);
      ctx.output('commitSha', result.commitSha);
    },
  });
}
