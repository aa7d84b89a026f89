import { createGitHubSecretsSetAction } from './githubSecretsSet';
import { examples } from './githubSecretsSet.examples';
import {
  declaredOutputs,
  exampleInput,
  onLocalForge,
  runAction,
  useHarness,
  TEAM_A_MARKER,
} from '../__testUtils__/harness';

describe('paved:github:secrets:set', () => {
  const h = useHarness();
  const secrets = {
    npmToken: 'npm_4b1e-Very-Secret-Value',
    sentryDsn: 'https://k3y@sentry.kestrel.example/4',
  };

  beforeEach(async () => {
    await h.server.driver.createRepository('kestrel', 'shop', {
      topics: TEAM_A_MARKER,
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example against the test server: %s',
    async (_, example) => {
      const input = exampleInput(example);
      const action = createGitHubSecretsSetAction(h);
      const run = await runAction(action, input, { secrets });
      expect(run.error).toBeUndefined();
      const expected = Object.entries(
        input.secrets as Record<string, string>,
      ).filter(([, key]) => key in secrets);
      expect(run.outputs).toEqual({
        skipped: false,
        created: expected.map(([name]) => name),
        updated: [],
        missing: input.skipMissing ? ['SLACK_WEBHOOK'] : [],
      });
      expect(Object.keys(run.outputs).sort()).toEqual(declaredOutputs(action));
      for (const [name, key] of expected) {
        // The server opens the sealed box with its private key.
        expect(
          await h.server.driver.decryptSecret('kestrel', 'shop', name),
        ).toBe(secrets[key as keyof typeof secrets]);
      }
      // Not in the log, the outputs or the checkpoint store.
      const seen = JSON.stringify([
        run.lines,
        run.outputs,
        [...run.store],
        run.keys,
      ]);
      for (const value of Object.values(secrets))
        expect(seen).not.toContain(value);
    },
  );

  it('names a task secret that is missing, without any value', async () => {
    const run = await runAction(
      createGitHubSecretsSetAction(h),
      {
        repoUrl: 'github.com?owner=kestrel&repo=shop',
        secrets: { NPM_TOKEN: 'npmTokn' },
      },
      { secrets },
    );
    expect(run.error).toMatchObject({
      name: 'InputError',
      message:
        'secrets.NPM_TOKEN: the task has no secret "npmTokn"; add a parameter with ui:field: Secret named npmTokn, or set skipMissing',
    });
    expect(h.server.requests).toEqual([]);
  });

  it('keeps the value out of the error when GitHub refuses it', async () => {
    h.server.driver.injectFault({
      method: 'PUT',
      path: /\/actions\/secrets\//,
      status: 403,
      message: 'Must have admin rights to Repository.',
    });
    const run = await runAction(
      createGitHubSecretsSetAction(h),
      {
        repoUrl: 'github.com?owner=kestrel&repo=shop',
        secrets: { NPM_TOKEN: 'npmToken' },
      },
      { secrets },
    );
    expect(run.error).toMatchObject({ name: 'NotAllowedError' });
    const seen = JSON.stringify([
      run.error.message,
      run.error.stack,
      run.lines,
    ]);
    expect(seen).not.toContain(secrets.npmToken);
  });

  it('changes nothing in a dry run, and skips for a local-forge repository', async () => {
    const input = {
      repoUrl: 'github.com?owner=kestrel&repo=shop',
      secrets: { NPM_TOKEN: 'npmToken' },
    };
    const dry = await runAction(createGitHubSecretsSetAction(h), input, {
      secrets,
      isDryRun: true,
    });
    expect(dry.outputs).toEqual({
      skipped: false,
      created: [],
      updated: [],
      missing: [],
    });
    expect(dry.lines).toContain(
      'info: Dry run: would set Actions secrets NPM_TOKEN of kestrel/shop',
    );
    const local = await runAction(
      createGitHubSecretsSetAction(onLocalForge(h)),
      input,
      { secrets },
    );
    expect(local.outputs).toMatchObject({ skipped: true });
    expect(local.lines).toContain(
      'info: kestrel/shop lives on the local forge: Actions secrets NPM_TOKEN skipped',
    );
    expect(h.server.requests).toEqual([]);
  });
});
