import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { RepositoryTarget } from '@paved/plugin-publish-node';
import { examples } from './githubPagesEnable.examples';
import {
  GitHubActionDeps,
  gitHubRepoTargetOf,
  livesOnLocalForge,
  repoUrlInput,
  skippedOutput,
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
      .enum(['enabled', 'unchanged', 'skipped', 'dry-run'])
      .describe(
        'enabled by this step; unchanged (the workflow already publishes the site); skipped (the local forge); dry-run.',
      ),
  url: (z: Zod) =>
    z
      .string()
      .describe(
        'Where the site is published once its workflow has run; empty when skipped or in a dry run.',
      ),
  reason: (z: Zod) =>
    z
      .string()
      .describe(
        'Why the site is not published, and what to do, when the step skipped; empty otherwise.',
      ),
};

/** What the step says on the local forge, which serves no Pages. */
export function noPagesOnForge(target: RepositoryTarget): string {
  return `The local forge has no GitHub Pages, so ${target.full} is not published: the site's files are in the repository and its workflow cannot run there. To publish it, create the site on a GitHub host configured with credentials (integrations.github), or serve the repository's public/ folder from any static web server.`;
}

/**
 * Creates `paved:github:pages:enable`. Upstream has `github:pages:enable`
 * (since 1.30), which fails on a second run with GitHub's 409 and does not
 * check who may change the repository; this one converges on the 409,
 * checks the repository's recorded owner, has a dry run, and on the local
 * forge says why nothing is published instead of failing the task.
 *
 * @public
 */
export function createGitHubPagesEnableAction(options: GitHubActionDeps) {
  const { service, config } = options;
  return createTemplateAction({
    id: 'paved:github:pages:enable',
    description:
      "Enables the repository's GitHub Pages site, published by its Actions workflow (actions/deploy-pages), so that the first run on the default branch publishes it. On the local forge it says why it cannot, and the task goes on.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const target = gitHubRepoTargetOf(ctx.input.repoUrl);
      const change = repositoryChange(ctx, options, target);
      if (livesOnLocalForge(config, target, ctx.logger, 'GitHub Pages')) {
        const reason = noPagesOnForge(target);
        ctx.logger.info(reason);
        ctx.output('skipped', true);
        ctx.output('action', 'skipped');
        ctx.output('url', '');
        ctx.output('reason', reason);
        return;
      }
      ctx.output('skipped', false);
      ctx.output('reason', '');
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would enable GitHub Pages of ${target.full}, published by its Actions workflow`,
        );
        ctx.output('action', 'dry-run');
        ctx.output('url', '');
        return;
      }
      const result = await ctx.checkpoint({
        key: `paved.github.pages.${target.key}`,
        fn: change(
          { eventId: 'repository-pages', action: 'enable GitHub Pages of' },
          async () => {
            const r = await service.enablePages(
              { host: target.host, owner: target.owner, name: target.name },
              { logger: ctx.logger },
            );
            return { action: r.action, url: r.url };
          },
        ),
      });
      ctx.logger.info(
        result.action === 'enabled'
          ? `Enabled GitHub Pages of ${target.full}: the workflow's first run on the default branch publishes ${result.url}`
          : `GitHub Pages of ${target.full} already published by its workflow at ${result.url}`,
      );
      ctx.output('action', result.action);
      ctx.output('url', result.url);
    },
  });
}
