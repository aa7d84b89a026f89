import {
  RootConfigService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  LocalForge,
  normalizeForgeOwner,
  normalizeForgeRepositoryName,
} from '@paved/plugin-forge-node';
import {
  GitHubRepoService,
  assertOwnerName,
  assertRepositoryName,
  hasGitHubCredentials,
} from '@paved/plugin-github-node';
import { examples } from './publish.examples';
import { repoTargetOf } from './shared';

/** Where `paved:publish` puts a repository. */
type Forge = 'github' | 'local';

/**
 * Creates the `paved:publish` action: publishes the workspace as a new
 * repository, to GitHub when `integrations.github` has credentials (a token
 * or a GitHub App) for the repoUrl's host, and to the local forge otherwise.
 * The template decides nothing: the same step works in the embedded default
 * and in production. Both targets offer the same two operations
 * (createRepository, pushInitialContent), each behind a checkpoint, and both
 * converge when run again: an existing repository is adopted, the same
 * content is not pushed twice, other content is a conflict.
 *
 * @public
 */
export function createPavedPublishAction(options: {
  config: RootConfigService;
  service: GitHubRepoService;
  forge: LocalForge;
}) {
  const { config, service, forge } = options;
  return createTemplateAction({
    id: 'paved:publish',
    description:
      'Publishes the workspace as a new repository: to GitHub when integrations.github has credentials for the host, to the local forge otherwise. Feed catalog:register with its catalogInfoUrl output.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z
            .string()
            .describe(
              'Where to publish, as the RepoUrlPicker writes it: host?owner=<owner>&repo=<name>. On GitHub the owner is an organisation or user; on the local forge it is the folder the repository lives in.',
            ),
        description: z =>
          z.string().optional().describe('The repository description.'),
        defaultBranch: z =>
          z
            .string()
            .optional()
            .describe("The branch the content is pushed to. Default 'main'."),
        repoVisibility: z =>
          z
            .enum(['private', 'internal'])
            .optional()
            .describe(
              "Repository visibility; 'internal' needs a GitHub Enterprise organisation. Default 'private'.",
            ),
        topics: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Repository topics: lowercase letters, digits and hyphens, at most 20.',
            ),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'The folder of the workspace to publish as the repository root. Default the whole workspace.',
            ),
        gitCommitMessage: z =>
          z
            .string()
            .optional()
            .describe(
              "The first commit's message. Default scaffolder.defaultCommitMessage, else 'initial commit'.",
            ),
        gitAuthorName: z =>
          z
            .string()
            .optional()
            .describe(
              "The first commit's author. Default scaffolder.defaultAuthor.name, else 'Scaffolder'.",
            ),
        gitAuthorEmail: z =>
          z
            .string()
            .optional()
            .describe(
              "The author's email. Default scaffolder.defaultAuthor.email, else scaffolder@backstage.io.",
            ),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              "The catalogue file's path in the repository, for the catalogInfoUrl output. Default 'catalog-info.yaml'.",
            ),
      },
      output: {
        remoteUrl: z => z.string().describe('The URL to clone the repository.'),
        repoContentsUrl: z =>
          z
            .string()
            .describe(
              "The repository's content on the default branch (…/blob/<branch>).",
            ),
        catalogInfoUrl: z =>
          z
            .string()
            .describe(
              'The catalogue file in the repository: the catalogInfoUrl input of catalog:register.',
            ),
        forge: z =>
          z
            .enum(['github', 'local'])
            .describe(
              "Where the repository lives: 'github', or 'local' for the local forge.",
            ),
        created: z =>
          z
            .boolean()
            .describe(
              'True when the repository was created by this step; false when it existed and was adopted. In a dry run: whether it would be.',
            ),
        pushed: z =>
          z
            .boolean()
            .describe(
              'True when the content was pushed; false when the branch already held exactly this content. In a dry run: whether it would be.',
            ),
        commitHash: z =>
          z
            .string()
            .describe('The commit the branch points at; empty in a dry run.'),
      },
    },
    async handler(ctx) {
      const target = repoTargetOf(ctx.input.repoUrl);
      const kind: Forge = hasGitHubCredentials(config, target.host)
        ? 'github'
        : 'local';
      const { owner, name } = validNames(kind, target.owner, target.name);
      const branch = ctx.input.defaultBranch ?? 'main';
      const sourceDir = ctx.input.sourcePath
        ? resolveSafeChildPath(ctx.workspacePath, ctx.input.sourcePath)
        : ctx.workspacePath;
      const catalogInfoPath = (
        ctx.input.catalogInfoPath ?? 'catalog-info.yaml'
      ).replace(/^\/+/, '');
      const where =
        kind === 'github'
          ? `GitHub (${target.host})`
          : `the local forge (${forge.urls.baseUrl})`;
      const key = `${kind}.${target.host}/${owner}/${name}`.toLowerCase();

      const outputUrls = (htmlUrl: string, cloneUrl: string) => {
        ctx.output('remoteUrl', cloneUrl);
        ctx.output('repoContentsUrl', `${htmlUrl}/blob/${branch}`);
        ctx.output(
          'catalogInfoUrl',
          `${htmlUrl}/blob/${branch}/${catalogInfoPath}`,
        );
        ctx.output('forge', kind);
      };

      if (ctx.isDryRun) {
        // Nothing is written; the local forge can still say what exists.
        let exists = false;
        let empty = true;
        let htmlUrl = `https://${target.host}/${owner}/${name}`;
        let cloneUrl = `${htmlUrl}.git`;
        if (kind === 'local') {
          const found = await forge.getRepository({ owner, name });
          exists = Boolean(found);
          empty = found?.empty ?? true;
          htmlUrl = forge.urls.repository({ owner, name });
          cloneUrl = forge.urls.clone({ owner, name });
        }
        ctx.logger.info(
          `Dry run: would ${
            exists ? 'adopt' : 'create'
          } ${owner}/${name} on ${where} and push the workspace to ${branch}: ${htmlUrl}`,
        );
        outputUrls(htmlUrl, cloneUrl);
        ctx.output('created', !exists);
        ctx.output('pushed', empty);
        ctx.output('commitHash', '');
        return;
      }

      const publisher = kind === 'github' ? service : forge;
      // GitHub picks the integration (GitHub Enterprise too) by host.
      const host = kind === 'github' ? { host: target.host } : {};
      ctx.logger.info(`Publishing ${owner}/${name} to ${where}`);
      // Log what is done when it is done; a retried task resumes from the
      // checkpoints and says so instead.
      let ran = false;
      const repo = await ctx.checkpoint({
        key: `paved.publish.repository.${key}`,
        fn: async () => {
          ran = true;
          const r = await publisher.createRepository({
            ...host,
            owner,
            name,
            visibility: ctx.input.repoVisibility,
            description: ctx.input.description,
            topics: ctx.input.topics,
            defaultBranch: branch,
          });
          ctx.logger.info(
            `${r.created ? 'Created' : 'Adopted the existing'} ${r.owner}/${
              r.name
            }: ${r.htmlUrl}`,
          );
          return {
            created: r.created,
            owner: r.owner,
            name: r.name,
            htmlUrl: r.htmlUrl,
            cloneUrl: r.cloneUrl,
          };
        },
      });

      const push = await ctx.checkpoint({
        key: `paved.publish.push.${key}.${branch}`,
        fn: async () => {
          ran = true;
          const r = await publisher.pushInitialContent({
            ...host,
            owner: repo.owner,
            name: repo.name,
            sourceDir,
            branch,
            message:
              ctx.input.gitCommitMessage ??
              config.getOptionalString('scaffolder.defaultCommitMessage') ??
              'initial commit',
            author: {
              name:
                ctx.input.gitAuthorName ??
                config.getOptionalString('scaffolder.defaultAuthor.name') ??
                'Scaffolder',
              email:
                ctx.input.gitAuthorEmail ??
                config.getOptionalString('scaffolder.defaultAuthor.email') ??
                'scaffolder@backstage.io',
            },
          });
          ctx.logger.info(
            r.pushed
              ? `Pushed the workspace to ${branch} as ${r.commitSha}`
              : `${branch} already holds this content (${r.commitSha}); nothing to push`,
          );
          return { commitSha: r.commitSha, pushed: r.pushed };
        },
      });
      if (!ran) {
        ctx.logger.info(
          `${repo.owner}/${repo.name} was published by an earlier run of this task (${push.commitSha} on ${branch}): ${repo.htmlUrl}`,
        );
      }

      outputUrls(repo.htmlUrl, repo.cloneUrl);
      ctx.output('created', repo.created);
      ctx.output('pushed', push.pushed);
      ctx.output('commitHash', push.commitSha);
    },
  });
}

/** Checks owner and name by the rules of the target, naming repoUrl. */
function validNames(
  kind: Forge,
  owner: string,
  name: string,
): { owner: string; name: string } {
  try {
    if (kind === 'github') {
      assertOwnerName(owner, 'repoUrl owner');
      assertRepositoryName(name, 'repoUrl repo');
      return { owner, name };
    }
    return {
      owner: normalizeForgeOwner(owner),
      name: normalizeForgeRepositoryName(name),
    };
  } catch (error) {
    if ((error as Error).name !== 'InputError') throw error;
    throw new InputError(
      kind === 'github'
        ? (error as Error).message
        : `repoUrl: ${(error as Error).message}`,
    );
  }
}
