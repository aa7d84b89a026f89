import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './githubTeamGrant.examples';
import {
  doneWithoutGitHub,
  gitHubRepoTargetOf,
  repoUrlInput,
  skippedOutput,
  teamSlugOf,
  GitHubActionDeps,
} from './shared';
import { repositoryChange } from './repositoryChange';
import { Zod } from './Zod';

const ROLES = ['pull', 'triage', 'push', 'maintain', 'admin'] as const;

const input = {
  repoUrl: repoUrlInput,
  owner: (z: Zod) =>
    z
      .string()
      .describe(
        'The owning group, as a catalogue entity ref (group:default/storefront); its name is the GitHub team slug.',
      ),
  permission: (z: Zod) =>
    z.enum(ROLES).optional().describe('The role to grant. Default maintain.'),
  removeCreatorAdmin: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe(
        "Remove the creator's admin rights afterwards. Default paved.github.removeCreatorAdmin.",
      ),
};

const output = {
  skipped: skippedOutput,
  team: (z: Zod) => z.string().describe('The team slug.'),
  permission: (z: Zod) => z.string().describe('The role the team has.'),
  action: (z: Zod) =>
    z
      .enum(['granted', 'unchanged', 'none'])
      .describe('What was done; none when skipped or in a dry run.'),
  creatorAdmin: (z: Zod) =>
    z
      .enum(['removed', 'kept', 'not-applicable', 'none'])
      .describe(
        "What happened to the creator's admin rights; none when skipped or in a dry run.",
      ),
};

/**
 * Creates `paved:github:team:grant`. Upstream sets team access only while
 * `publish:github` creates a repository; there is no action for an existing
 * one, none that checks the role a team already has, and none that removes
 * the creator's admin rights.
 *
 * @public
 */
export function createGitHubTeamGrantAction(options: GitHubActionDeps) {
  const { service, config } = options;
  return createTemplateAction({
    id: 'paved:github:team:grant',
    description:
      'Grants the owning team its role on the repository and, when configured (paved.github.removeCreatorAdmin) or asked, removes the admin rights of the account that created it. A team that already has another role is a conflict, not a silent change.',
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const target = gitHubRepoTargetOf(ctx.input.repoUrl);
      const change = repositoryChange(ctx, options, target);
      const team = teamSlugOf(ctx.input.owner);
      const permission = ctx.input.permission ?? 'maintain';
      const outputs = (action: string, creatorAdmin: string) => {
        ctx.output('team', team);
        ctx.output('permission', permission);
        ctx.output('action', action as any);
        ctx.output('creatorAdmin', creatorAdmin as any);
      };
      if (
        doneWithoutGitHub(ctx, {
          config,
          target,
          skipping: `the ${permission} role of team ${team}`,
          dryRun: `Dry run: would grant team ${team} ${permission} on ${target.full}`,
          none: () => outputs('none', 'none'),
        })
      ) {
        return;
      }
      const ref = { host: target.host, owner: target.owner, name: target.name };
      const granted = await ctx.checkpoint({
        key: `paved.github.team-role.${target.key}.${team.toLowerCase()}`,
        fn: change(
          { eventId: 'repository-team-grant', action: 'grant a team role on' },
          async () =>
            (
              await service.grantTeamAccess(
                { ...ref, team, permission, removeCreatorAdmin: false },
                { logger: ctx.logger },
              )
            ).action,
        ),
      });
      ctx.logger.info(
        `Team ${team} ${permission} on ${target.full}: ${granted}`,
      );
      const removal = await ctx.checkpoint({
        key: `paved.github.creator-admin.${target.key}`,
        fn: change(
          {
            eventId: 'repository-creator-admin',
            action: "remove the creator's admin role from",
          },
          async () => ({
            ...(await service.removeCreatorAdmin(
              { ...ref, enabled: ctx.input.removeCreatorAdmin },
              { logger: ctx.logger },
            )),
          }),
        ),
      });
      if (removal.creatorAdmin === 'removed') {
        ctx.logger.info(
          `Removed the admin rights of ${removal.creator} on ${target.full}`,
        );
      }
      ctx.output('skipped', false);
      outputs(granted, removal.creatorAdmin);
    },
  });
}
