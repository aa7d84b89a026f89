/** The pre-receive hook of every repository the test server keeps. */
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The repository's pre-receive hook, as GitHub's would refuse: workflow files
 * from a token without the `workflow` scope (or an app without the
 * `workflows` permission), and updates an active rule forbids. The server
 * passes what applies in the environment of `git http-backend`.
 */
export async function installPreReceiveHook(gitDir: string): Promise<void> {
  const hook = path.join(gitDir, 'hooks', 'pre-receive');
  await fs.mkdir(path.dirname(hook), { recursive: true });
  await fs.writeFile(
    hook,
    [
      '#!/bin/sh',
      'z=0000000000000000000000000000000000000000',
      'status=0',
      'while read old new ref; do',
      '  for p in $GH_TEST_PR_REFS; do',
      '    if [ "$p" = "$ref" ]; then',
      '      echo "error: GH013: Repository rule violations found for $ref." >&2',
      '      echo "- Changes must be made through a pull request." >&2',
      '      status=1',
      '    fi',
      '  done',
      '  if [ "$new" = "$z" ]; then',
      '    for p in $GH_TEST_NODELETE_REFS; do',
      '      if [ "$p" = "$ref" ]; then',
      '        echo "error: GH013: Repository rule violations found for $ref." >&2',
      '        echo "- Cannot delete this branch" >&2',
      '        status=1',
      '      fi',
      '    done',
      '    continue',
      '  fi',
      '  if [ "$old" != "$z" ]; then',
      '    for p in $GH_TEST_NOFORCE_REFS; do',
      '      if [ "$p" = "$ref" ] && ! git merge-base --is-ancestor "$old" "$new"; then',
      '        echo "error: GH013: Repository rule violations found for $ref." >&2',
      '        echo "- Cannot force-push to this branch" >&2',
      '        status=1',
      '      fi',
      '    done',
      '  fi',
      '  [ "$GH_TEST_WORKFLOW_SCOPE" = "1" ] && continue',
      '  if [ "$old" = "$z" ]; then',
      '    files=$(git ls-tree -r --name-only "$new" -- .github/workflows)',
      '  else',
      '    files=$(git diff --name-only "$old" "$new" -- .github/workflows)',
      '  fi',
      '  for f in $files; do',
      '    if [ "$GH_TEST_ACTOR" = "app" ]; then',
      '      echo "refusing to allow a GitHub App to create or update workflow \\`$f\\` without \\`workflows\\` permission" >&2',
      '    else',
      '      echo "refusing to allow a Personal Access Token to create or update workflow \\`$f\\` without \\`workflow\\` scope" >&2',
      '    fi',
      '    status=1',
      '    break',
      '  done',
      'done',
      'exit $status',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
}
