import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { readWorkflowChecks } from './workflowChecks';

describe('readWorkflowChecks', () => {
  const dir = createMockDirectory();

  it("names the templates' CI jobs, leaving out the deploy job that only runs on pushes", async () => {
    const templates = path.resolve(__dirname, '../../../../templates');
    // Image and deploy run only on pushes to main: requiring them would
    // block every pull request.
    await expect(
      readWorkflowChecks(path.join(templates, 'node-service/content')),
    ).resolves.toEqual({
      checks: ['lint', 'test'],
      skipped: [
        "ci.yaml job image: runs only if github.event_name == 'push' && github.ref == 'refs/heads/main'",
        "ci.yaml job deploy: runs only if github.event_name == 'push' && github.ref == 'refs/heads/main'",
      ],
    });
    const site = await readWorkflowChecks(
      path.join(templates, 'static-website/content'),
    );
    expect(site.checks).toEqual(['build']);
    expect(site.skipped).toEqual([
      expect.stringMatching(
        /^ci\.yaml job deploy: runs only if github\.event_name == 'push'/,
      ),
    ]);
  });

  it('uses job names over ids, and leaves out what may not run on a pull request', async () => {
    dir.setContent({
      '.github/workflows/ci.yml': [
        'on: { pull_request: {}, push: { branches: [main] } }',
        'jobs:',
        '  lint: { runs-on: ubuntu-latest, name: Lint }',
        '  test: { runs-on: ubuntu-latest }',
        '  matrix: { runs-on: ubuntu-latest, strategy: { matrix: { node: [20, 22] } } }',
        '  shared: { uses: ./.github/workflows/shared.yml }',
        '  templated: { runs-on: ubuntu-latest, name: "build ${{ matrix.x }}" }',
      ].join('\n'),
      '.github/workflows/release.yaml':
        'on: [push]\njobs:\n  release: { runs-on: ubuntu-latest }\n',
      '.github/workflows/broken.yaml': 'on: [pull_request\n',
      '.github/workflows/notes.txt': 'ignored',
    });
    const result = await readWorkflowChecks(dir.path);
    expect(result.checks).toEqual(['Lint', 'test']);
    expect(result.skipped).toEqual([
      expect.stringMatching(/^broken\.yaml: not valid YAML/),
      'ci.yml job matrix: a matrix job',
      'ci.yml job shared: calls a reusable workflow',
      'ci.yml job templated: its name is an expression',
      'release.yaml: does not run on pull requests',
    ]);
  });

  it('finds nothing in a workspace without workflows', async () => {
    dir.setContent({ 'README.md': 'x' });
    await expect(readWorkflowChecks(dir.path)).resolves.toEqual({
      checks: [],
      skipped: [],
    });
  });
});
