import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { assertBranchName } from '@paved/plugin-github-node';
import { examples } from './githubPullRequestOpen.examples';
import {
  doneWithoutGitHub,
  gitHubRepoTargetOf,
  skippedOutput,
  GitHubActionDeps,
} from './shared';
import { repositoryChange } from './repositoryChange';
import { Zod } from './Zod';

const MAX_FILES = 1000;
const MAX_BYTES = 20 * 1024 * 1024;

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git') await walk(full);
      } else if (entry.isFile()) {
        out.push(path.relative(root, full).split(path.sep).join('/'));
      }
    }
  };
  await walk(root);
  return out.sort();
}

/** The workspace files to propose, keyed by their path in the repository, within the limits. */
async function filesToPropose(
  workspacePath: string,
  given: { sourcePath?: string; targetPath?: string },
): Promise<Record<string, Buffer>> {
  const source = resolveSafeChildPath(workspacePath, given.sourcePath ?? '.');
  const targetDir = (given.targetPath ?? '').replace(/^\/+|\/+$/g, '');
  if (targetDir.split('/').includes('..')) {
    throw new InputError(
      `targetPath: "${given.targetPath}" leaves the repository`,
    );
  }
  const relative = await filesUnder(source).catch(() => {
    throw new InputError(
      `sourcePath: ${given.sourcePath ?? '.'} is not a folder of the workspace`,
    );
  });
  if (relative.length === 0) {
    throw new InputError(
      `sourcePath: ${given.sourcePath ?? '.'} holds no files to propose`,
    );
  }
  if (relative.length > MAX_FILES) {
    throw new InputError(
      `sourcePath: ${relative.length} files; at most ${MAX_FILES} per pull request`,
    );
  }
  const files: Record<string, Buffer> = {};
  let bytes = 0;
  for (const rel of relative) {
    const content = await fs.readFile(path.join(source, rel));
    bytes += content.length;
    files[targetDir ? `${targetDir}/${rel}` : rel] = content;
  }
  if (bytes > MAX_BYTES) {
    throw new InputError(
      `sourcePath: ${bytes} bytes; at most ${MAX_BYTES} per pull request`,
    );
  }
  return files;
}

const input = {
  repoUrl: (z: Zod) =>
    z
      .string()
      .describe(
        'The repository to propose the change to: github.com?owner=kestrel&repo=gitops.',
      ),
  branchName: (z: Zod) =>
    z.string().describe('The new branch holding the change.'),
  title: (z: Zod) => z.string().describe('The pull request title.'),
  description: (z: Zod) =>
    z.string().optional().describe('The pull request body.'),
  sourcePath: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'The workspace folder whose files are proposed. Default the whole workspace.',
      ),
  targetPath: (z: Zod) =>
    z
      .string()
      .optional()
      .describe('The folder of the repository they go into. Default its root.'),
  baseBranch: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        "The branch to merge into. Default the repository's default branch.",
      ),
  draft: (z: Zod) => z.boolean().optional().describe('Open it as a draft.'),
};

const output = {
  skipped: skippedOutput,
  status: (z: Zod) =>
    z
      .enum(['opened', 'exists', 'up-to-date', 'none'])
      .describe(
        'opened, exists (already open with this change), up-to-date (nothing to propose), none (skipped or dry run).',
      ),
  number: (z: Zod) =>
    z.number().describe('The pull request number; 0 when there is none.'),
  pullRequestUrl: (z: Zod) =>
    z.string().describe('The pull request page; empty when there is none.'),
  files: (z: Zod) =>
    z.array(z.string()).describe('The repository paths proposed.'),
};

/**
 * Creates `paved:github:pull-request:open`. Upstream's
 * `publish:github:pull-request` has no dry run, does not know the local
 * forge, and a rerun after the branch was pushed fails or force-updates it;
 * this one finds its own branch and pull request on a rerun and refuses a
 * branch holding other changes.
 *
 * @public
 */
export function createGitHubPullRequestOpenAction(options: GitHubActionDeps) {
  const { service, config } = options;
  return createTemplateAction({
    id: 'paved:github:pull-request:open',
    description:
      'Opens a pull request against another repository (GitOps, infrastructure) with files from the workspace, over git. Safe to run again: it finds its branch and pull request.',
    examples,
    supportsDryRun: true,
    schema: { input, output },
    async handler(ctx) {
      const target = gitHubRepoTargetOf(ctx.input.repoUrl);
      const change = repositoryChange(ctx, options, target);
      assertBranchName(ctx.input.branchName, 'branchName');
      if (ctx.input.baseBranch !== undefined)
        assertBranchName(ctx.input.baseBranch, 'baseBranch');
      const files = await filesToPropose(ctx.workspacePath, ctx.input);
      const paths = Object.keys(files);
      ctx.output('files', paths);
      const none = () => {
        ctx.output('status', 'none');
        ctx.output('number', 0);
        ctx.output('pullRequestUrl', '');
      };
      if (
        doneWithoutGitHub(ctx, {
          config,
          target,
          skipping: `pull request ${ctx.input.branchName}`,
          dryRun: `Dry run: would open a pull request "${ctx.input.title}" on ${
            target.full
          } from ${ctx.input.branchName} with ${paths.join(', ')}`,
          none,
        })
      ) {
        return;
      }
      const result = await ctx.checkpoint({
        key: `paved.github.pull-request.${target.key}.${ctx.input.branchName}`,
        fn: change(
          {
            eventId: 'repository-pull-request',
            action: 'open a pull request on',
            unmarkedAllowed: true,
          },
          async () => {
            const r = await service.openPullRequest(
              {
                host: target.host,
                owner: target.owner,
                name: target.name,
                branch: ctx.input.branchName,
                base: ctx.input.baseBranch,
                title: ctx.input.title,
                body: ctx.input.description,
                draft: ctx.input.draft,
                files,
              },
              { logger: ctx.logger },
            );
            return { ...r };
          },
        ),
      });
      ctx.logger.info(
        result.status === 'up-to-date'
          ? `${target.full} ${result.base} already holds these files: no pull request needed`
          : `Pull request #${result.number} on ${target.full} (${result.status}): ${result.htmlUrl}`,
      );
      ctx.output('skipped', false);
      ctx.output('status', result.status);
      ctx.output('number', result.number);
      ctx.output('pullRequestUrl', result.htmlUrl);
    },
  });
}
