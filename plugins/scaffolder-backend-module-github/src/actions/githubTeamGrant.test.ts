import { createGitHubTeamGrantAction } from './githubTeamGrant';
import { examples } from './githubTeamGrant.examples';
import {
  declaredOutputs,
  exampleInput,
  onLocalForge,
  restartHarness,
  runAction,
  useHarness,
  OWNED_BY_TEAM_A,
  TEAM_A_MARKER,
} from '../__testUtils__/harness';

describe('paved:github:team:grant', () => {
  const h = useHarness();

  beforeEach(async () => {
    // Created through the API, so the token's user is its admin as on GitHub.
    await h.service.createRepository({
      owner: 'kestrel',
      name: 'shop',
      ...OWNED_BY_TEAM_A,
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example against the test server: %s',
    async (_, example) => {
      const input = exampleInput(example);
      const action = createGitHubTeamGrantAction(h);
      const run = await runAction(action, input);
      expect(run.error).toBeUndefined();
      const team = input.owner.split('/')[1];
      const permission = input.permission ?? 'maintain';
      expect(run.outputs).toEqual({
        skipped: false,
        team,
        permission,
        action: 'granted',
        creatorAdmin: input.removeCreatorAdmin ? 'removed' : 'kept',
      });
      expect(Object.keys(run.outputs).sort()).toEqual(declaredOutputs(action));
      const repo = h.server.driver.repository('kestrel', 'shop')!;
      expect(repo.teams).toEqual({ [team]: permission });
      expect(repo.collaborators).toEqual(
        input.removeCreatorAdmin ? {} : { 'paved-bot': 'admin' },
      );
      expect(run.keys).toEqual([
        `paved.github.team-role.github.com/kestrel/shop.${team}`,
        'paved.github.creator-admin.github.com/kestrel/shop',
      ]);
    },
  );

  it('removes the creator admin when paved.github.removeCreatorAdmin says so', async () => {
    await restartHarness(h, {
      paved: { github: { removeCreatorAdmin: true } },
    });
    await h.service.createRepository({
      owner: 'kestrel',
      name: 'shop',
      ...OWNED_BY_TEAM_A,
    });
    const run = await runAction(createGitHubTeamGrantAction(h), {
      repoUrl: 'github.com?owner=kestrel&repo=shop',
      owner: 'group:default/storefront',
    });
    expect(run.outputs.creatorAdmin).toBe('removed');
    expect(run.lines).toContain(
      'info: Removed the admin rights of paved-bot on kestrel/shop',
    );
  });

  it('refuses a user owner and a team that already has another role', async () => {
    const user = await runAction(createGitHubTeamGrantAction(h), {
      repoUrl: 'github.com?owner=kestrel&repo=shop',
      owner: 'user:default/jdoe',
    });
    // A repository Paved did not just create, so what exists is checked.
    await h.server.driver.createRepository('kestrel', 'other', {
      topics: TEAM_A_MARKER,
    });
    expect(user.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('is not a group'),
    });
    await runAction(createGitHubTeamGrantAction(h), {
      repoUrl: 'github.com?owner=kestrel&repo=other',
      owner: 'group:default/storefront',
      permission: 'push',
    });
    const other = await runAction(createGitHubTeamGrantAction(h), {
      repoUrl: 'github.com?owner=kestrel&repo=other',
      owner: 'group:default/storefront',
      permission: 'admin',
    });
    expect(other.error).toMatchObject({ name: 'ConflictError' });
  });

  it('changes nothing in a dry run, and skips for a local-forge repository', async () => {
    h.server.resetRequests();
    const input = {
      repoUrl: 'github.com?owner=kestrel&repo=shop',
      owner: 'group:default/storefront',
    };
    const dry = await runAction(createGitHubTeamGrantAction(h), input, {
      isDryRun: true,
    });
    expect(dry.outputs).toEqual({
      skipped: false,
      team: 'storefront',
      permission: 'maintain',
      action: 'none',
      creatorAdmin: 'none',
    });
    const local = await runAction(
      createGitHubTeamGrantAction(onLocalForge(h)),
      input,
    );
    expect(local.outputs).toMatchObject({ skipped: true, action: 'none' });
    expect(local.lines).toContain(
      'info: kestrel/shop lives on the local forge: the maintain role of team storefront skipped',
    );
    expect(h.server.requests).toEqual([]);
  });
});
