import { createMockDirectory } from '@backstage/backend-test-utils';
import { moduleActions, runAction } from '../__testUtils__/harness';

describe('paved:publish in the scaffolder module', () => {
  const dir = createMockDirectory();

  it('publishes to the local forge the backend configures, in the embedded default', async () => {
    dir.clear();
    const actions = await moduleActions({
      backend: { baseUrl: 'http://localhost:7007' },
      integrations: {},
      paved: { forge: { directory: dir.path } },
    });
    const publish = actions.find(a => a.id === 'paved:publish')!;
    expect(publish.supportsDryRun).toBe(true);
    const run = await runAction(
      publish,
      { repoUrl: 'github.com?owner=kestrel&repo=shop' },
      { workspace: { 'catalog-info.yaml': 'kind: Component\n' } },
    );
    expect(run.error).toBeUndefined();
    expect(run.outputs).toMatchObject({ forge: 'local', created: true });
    // A bare repository under paved.forge.directory.
    expect(
      dir.content({ path: 'kestrel/shop.git', shouldReadAsText: true }),
    ).toMatchObject({
      HEAD: 'ref: refs/heads/main\n',
      refs: { heads: { main: `${run.outputs.commitHash}\n` } },
    });
  });
});
