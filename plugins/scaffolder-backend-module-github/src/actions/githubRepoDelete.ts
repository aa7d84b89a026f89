import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './githubRepoDelete.examples';
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
  force: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe(
        'Delete it even when it holds more than Paved put there; that work is lost. Default false.',
      ),
};

const output = {
  skipped: skippedOutput,
  action: (z: Zod) =>
    z
      .enum(['deleted', 'not-found', 'none'])
      .describe(
        'deleted by this step; not-found (already gone); none when skipped or in a dry run.',
      ),
};

/**
 * Creates `paved:github:repo:delete`, the undo of a repository a golden path
 * created. It refuses a repository holding more than Paved put there
 * unless forced, so an undo never loses work done since.
 *
 * @public
 */
export function createGitHubRepoDeleteAction(options: GitHubActionDeps) {
  const { service, config } = options;
  return createTemplateAction({
    id: 'paved:github:repo:delete',
    description:
      "Deletes the repository, for good. Needs the token's delete_repo scope (a GitHub App: administration write) and admin rights on it. A repository holding more than Paved put there (another branch, commits by others, open issues or pull requests) is refused unless force is set; a missing one is left as it is.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const target = gitHubRepoTargetOf(ctx.input.repoUrl);
      if (
        doneWithoutGitHub(ctx, {
          config,
          target,
          skipping: `deleting (the forge deletes it with DELETE /api/forge/-/repos/${target.full})`,
          dryRun: `Dry run: would delete ${target.full}${
            ctx.input.force ? ' whatever it holds' : ''
          }`,
          none: () => ctx.output('action', 'none'),
        })
      ) {
        return;
      }
      const action = await ctx.checkpoint({
        key: `paved.github.repo-delete.${target.key}`,
        fn: repositoryChange(
          ctx,
          options,
          target,
        )(
          { eventId: 'repository-delete', action: 'delete', destructive: true },
          async () =>
            (
              await service.deleteRepository(
                {
                  host: target.host,
                  owner: target.owner,
                  name: target.name,
                  force: ctx.input.force,
                },
                { logger: ctx.logger },
              )
            ).action,
        ),
      });
      ctx.logger.info(
        action === 'deleted'
          ? `Deleted ${target.full}`
          : `${target.full} does not exist; nothing to delete`,
      );
      ctx.output('skipped', false);
      ctx.output('action', action);
    },
  });
}
