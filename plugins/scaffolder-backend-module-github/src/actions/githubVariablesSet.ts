import { RootConfigService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  GitHubRepoService,
  assertActionsName,
  assertRepositoryName,
} from '@paved/plugin-github-node';
import { examples } from './githubVariablesSet.examples';
import { livesOnLocalForge, repoTargetOf } from './shared';

/**
 * Creates `paved:github:variables:set`. Upstream sets repository variables
 * only inside `publish:github`, and a second run fails there with 409; this
 * one is a step of its own that finds an identical variable in place and
 * refuses to change a different one.
 *
 * @public
 */
export function createGitHubVariablesSetAction(options: {
  service: GitHubRepoService;
  config: RootConfigService;
}) {
  const { service, config } = options;
  return createTemplateAction({
    id: 'paved:github:variables:set',
    description:
      'Sets GitHub Actions variables of the repository. A variable already set to the same value is left alone; to another value, it is a conflict.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z
            .string()
            .describe(
              'The repository, as RepoUrlPicker gives it: github.com?owner=kestrel&repo=shop.',
            ),
        variables: z =>
          z
            .record(z.string(), z.string())
            .describe(
              'Variable name to value (not secret: values are logged as they are).',
            ),
      },
      output: {
        skipped: z =>
          z
            .boolean()
            .describe(
              'True when the repository lives on the local forge and nothing was done.',
            ),
        created: z =>
          z.array(z.string()).describe('Names of the variables created.'),
        unchanged: z =>
          z
            .array(z.string())
            .describe('Names of the variables already set so.'),
      },
    },
    async handler(ctx) {
      const target = repoTargetOf(ctx.input.repoUrl);
      assertRepositoryName(target.name, 'repoUrl');
      const names = Object.keys(ctx.input.variables);
      names.forEach(name =>
        assertActionsName(name, `variables.${name}`, 'variable'),
      );
      if (
        livesOnLocalForge(
          config,
          target,
          ctx.logger,
          `Actions variables ${names.join(', ') || '(none)'}`,
        )
      ) {
        ctx.output('skipped', true);
        ctx.output('created', []);
        ctx.output('unchanged', []);
        return;
      }
      if (ctx.isDryRun || names.length === 0) {
        for (const [name, value] of Object.entries(ctx.input.variables)) {
          ctx.logger.info(
            `Dry run: would set Actions variable ${name}=${value} of ${target.full}`,
          );
        }
        ctx.output('skipped', false);
        ctx.output('created', []);
        ctx.output('unchanged', []);
        return;
      }
      const result = await ctx.checkpoint({
        key: `paved.github.actions-variables.${target.key}.${names.join(',')}`,
        fn: async () => {
          const r = await service.setActionsVariables({
            host: target.host,
            owner: target.owner,
            name: target.name,
            variables: ctx.input.variables,
          });
          return { created: r.created, unchanged: r.unchanged };
        },
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
