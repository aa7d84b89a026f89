/*
 * The static website as "Create Component" renders it: a workflow that
 * passes a GitHub workflow validator, builds on every pull request (the
 * branch's one required check) and deploys to GitHub Pages only from main,
 * with the Pages permissions on the deploy job alone.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  RenderedFiles,
  startTemplateRenderer,
  writeFiles,
} from './__testUtils__/renderTemplate';

describe('the static website, rendered', () => {
  jest.setTimeout(120_000);
  const dir = createMockDirectory();
  let files: RenderedFiles;

  beforeAll(async () => {
    const renderer = await startTemplateRenderer();
    try {
      files = await renderer.render('static-website', {
        name: 'ops-handbook',
        description: 'How we run things',
        owner: 'group:default/fulfilment',
        repoUrl: 'github.com?owner=kestrel&repo=ops-handbook',
      });
    } finally {
      await renderer.stop();
    }
    writeFiles(files, dir.path);
  });

  it('publishes with upload-pages-artifact and deploy-pages from main, the Pages permissions on the deploy job only', () => {
    const file = path.join(dir.path, '.github/workflows/ci.yaml');
    const validator = require.resolve('@action-validator/cli/cli.mjs');
    const checked = spawnSync(process.execPath, [validator, file], {
      encoding: 'utf8',
    });
    expect({ status: checked.status, stderr: checked.stderr }).toEqual({
      status: 0,
      stderr: '',
    });
    const workflow = parseYaml(
      files.get('.github/workflows/ci.yaml')!.toString(),
    );
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const { build, deploy } = workflow.jobs;
    // No `if`: the required check (workflowChecks.ts) runs on pull requests.
    expect(build.if).toBeUndefined();
    expect(build.steps).toContainEqual({
      uses: expect.stringMatching(/^actions\/upload-pages-artifact@v\d+$/),
      with: { path: 'public' },
    });
    expect(files.has('public/index.html')).toBe(true);
    expect(deploy).toMatchObject({
      needs: 'build',
      if: "github.event_name == 'push' && github.ref == 'refs/heads/main'",
      permissions: { pages: 'write', 'id-token': 'write' },
      environment: { name: 'github-pages' },
      steps: [
        {
          id: 'deployment',
          uses: expect.stringMatching(/^actions\/deploy-pages@v\d+$/),
        },
      ],
    });
  });
});
