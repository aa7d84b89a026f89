import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { assertActionsName } from '@paved/plugin-github-node';
import { examples } from './githubSecretsSet.examples';
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
  secrets: (z: Zod) =>
    z
      .record(z.string(), z.string())
      .describe(
        "GitHub secret name to the key of the task's secrets holding its value, e.g. { NPM_TOKEN: npmToken } for ${{ secrets.npmToken }}.",
      ),
  skipMissing: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe(
        'Leave out secrets whose task secret is missing or empty, instead of failing. Default false.',
      ),
};

const output = {
  skipped: skippedOutput,
  created: (z: Zod) =>
    z.array(z.string()).describe('Names of the secrets created.'),
  updated: (z: Zod) =>
    z
      .array(z.string())
      .describe('Names of the secrets that existed and were set again.'),
  missing: (z: Zod) =>
    z
      .array(z.string())
      .describe(
        'Names left out because their task secret was missing (with skipMissing).',
      ),
};

/**
 * Creates `paved:github:secrets:set`. Upstream's `publish:github` takes
 * secret values as plain inputs (which end up in the task spec and its
 * logs) and only while creating a repository. Here the input names keys of
 * the task's secrets (`ctx.secrets`, the template's `ui:field: Secret`
 * parameters); only their names reach logs, outputs and checkpoints.
 *
 * @public
 */
export function createGitHubSecretsSetAction(options: GitHubActionDeps) {
  const { service, config } = options;
  return createTemplateAction({
    id: 'paved:github:secrets:set',
    description:
      "Sets GitHub Actions secrets of the repository from the task's secrets, sealed with the repository's public key. Only secret names are ever logged or output.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const target = gitHubRepoTargetOf(ctx.input.repoUrl);
      const change = repositoryChange(ctx, options, target);
      const values: Record<string, string> = {};
      const missing: string[] = [];
      for (const [name, key] of Object.entries(ctx.input.secrets)) {
        assertActionsName(name, `secrets.${name}`, 'secret');
        const value = ctx.secrets?.[key];
        if (typeof value === 'string' && value.length > 0) {
          values[name] = value;
        } else if (ctx.input.skipMissing) {
          missing.push(name);
        } else {
          throw new InputError(
            `secrets.${name}: the task has no secret "${key}"; add a parameter with ui:field: Secret named ${key}, or set skipMissing`,
          );
        }
      }
      const names = Object.keys(values);
      missing.forEach(name =>
        ctx.logger.info(`Secret ${name} left out: its task secret is missing`),
      );
      ctx.output('missing', missing);
      const listed = names.join(', ') || '(none)';
      if (
        doneWithoutGitHub(ctx, {
          config,
          target,
          skipping: `Actions secrets ${listed}`,
          dryRun: `Dry run: would set Actions secrets ${listed} of ${target.full}`,
          nothingToDo: names.length === 0,
          none: () => {
            ctx.output('created', []);
            ctx.output('updated', []);
          },
        })
      ) {
        return;
      }
      const result = await ctx.checkpoint({
        key: `paved.github.actions-secrets.${target.key}.${names.join(',')}`,
        fn: change(
          { eventId: 'repository-secrets', action: 'set Actions secrets of' },
          async () => {
            const r = await service.setActionsSecrets(
              {
                host: target.host,
                owner: target.owner,
                name: target.name,
                secrets: values,
              },
              { logger: ctx.logger },
            );
            return { created: r.created, updated: r.updated };
          },
        ),
      });
      ctx.logger.info(
        `Set Actions secrets ${names.join(', ')} of ${target.full}`,
      );
      ctx.output('skipped', false);
      ctx.output('created', result.created);
      ctx.output('updated', result.updated);
    },
  });
}
