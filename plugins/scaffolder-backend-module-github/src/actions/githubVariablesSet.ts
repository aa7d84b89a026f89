import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { assertActionsName } from '@paved/plugin-github-node';
import { examples } from './githubVariablesSet.examples';
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
  variables: (z: Zod) =>
    z
      .record(z.string(), z.string())
      .describe(
        'Variable name to value (not secret: values are logged as they are).',
      ),
};

const output = {
  skipped: skippedOutput,
  created: (z: Zod) =>
    z.array(z.string()).describe('Names of the variables created.'),
  unchanged: (z: Zod) =>
    z.array(z.string()).describe('Names of the variables already set so.'),
};

/**
 * Creates `paved:github:variables:set`. Upstream sets repository variables
 * only inside `publish:github`, and a second run fails there with 409; this
 * one is a step of its own that finds an identical variable in place and
 * refuses to change a different one.
 *
 * @public
 */
export function createGitHubVariablesSetAction(options: GitHubActionDeps) {
  const { service, config } = options;
  return createTemplateAction({
    id: 'paved:github:variables:set',
    description:
      'Sets GitHub Actions variables of the repository. A variable already set to the same value is left alone; to another value, it is a conflict.',
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const target = gitHubRepoTargetOf(ctx.input.repoUrl);
      const change = repositoryChange(ctx, options, target);
      const names = Object.keys(ctx.input.variables);
      names.forEach(name =>
        assertActionsName(name, `variables.${name}`, 'variable'),
      );
      if (
        doneWithoutGitHub(ctx, {
          config,
          target,
          skipping: `Actions variables ${names.join(', ') || '(none)'}`,
          dryRun: Object.entries(ctx.input.variables).map(
            ([name, value]) =>
              `Dry run: would set Actions variable ${name}=${value} of ${target.full}`,
          ),
          nothingToDo: names.length === 0,
          none: () => {
            ctx.output('created', []);
            ctx.output('unchanged', []);
          },
        })
      ) {
        return;
      }
      const result = await ctx.checkpoint({
        key: `paved.github.actions-variables.${target.key}.${names.join(',')}`,
        fn: change(
          {
            eventId: 'repository-variables',
            action: 'set Actions variables of',
          },
          async () => {
            const r = await service.setActionsVariables(
              {
                host: target.host,
                owner: target.owner,
                name: target.name,
                variables: ctx.input.variables,
              },
              { logger: ctx.logger },
            );
            return { created: r.created, unchanged: r.unchanged };
          },
        ),
      });
      ctx.logger.info(
        `Actions variables of ${target.full}: created ${
          result.created.join(', ') || 'none'
        }; unchanged ${result.unchanged.join(', ') || 'none'}`,
      );
      ctx.output('skipped', false);
      ctx.output('created', result.created);
      ctx.output('unchanged', result.unchanged);
    },
  });
}
