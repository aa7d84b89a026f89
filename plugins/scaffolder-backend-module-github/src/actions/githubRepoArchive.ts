import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './githubRepoArchive.examples';
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
};

const output = {
  skipped: skippedOutput,
  action: (z: Zod) =>
    z
      .enum(['archived', 'unchanged', 'not-found', 'none'])
      .describe(
        'archived by this step; unchanged (it already was); not-found (there is none); none when skipped or in a dry run.',
      ),
};

/**
 * Creates `paved:github:repo:archive`, the reversible undo of a repository a
 * golden path created (upstream has no action to archive or delete one).
 *
 * @public
 */
export function createGitHubRepoArchiveAction(options: GitHubActionDeps) {
  const { service, config } = options;
  return createTemplateAction({
    id: 'paved:github:repo:archive',
    description:
      'Archives the repository: read-only for everyone, kept with its history, undone by unarchiving it on GitHub. An archived or missing repository is left as it is.',
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const target = gitHubRepoTargetOf(ctx.input.repoUrl);
      if (
        doneWithoutGitHub(ctx, {
          config,
          target,
          skipping: `archiving (the forge has no archive; DELETE /api/forge/-/repos/${target.full} deletes it)`,
          dryRun: `Dry run: would archive ${target.full}`,
          none: () => ctx.output('action', 'none'),
        })
      ) {
        return;
      }
      const action = await ctx.checkpoint({
        key: `paved.github.repo-archive.${target.key}`,
        fn: repositoryChange(
          ctx,
          options,
          target,
        )(
          {
            eventId: 'repository-archive',
            action: 'archive',
            destructive: true,
          },
          async () =>
            (
              await service.archiveRepository(
                {
                  host: target.host,
                  owner: target.owner,
                  name: target.name,
                },
                { logger: ctx.logger },
              )
            ).action,
        ),
      });
      ctx.logger.info(
        {
          archived: `Archived ${target.full}`,
          unchanged: `${target.full} was already archived`,
          'not-found': `${target.full} does not exist; nothing to archive`,
        }[action],
      );
      ctx.output('skipped', false);
      ctx.output('action', action);
    },
  });
}
