import {
  AuditorService,
  RootConfigService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ActionContext,
  TemplateActionOptions,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { OwnershipService, auditChange } from '@paved/plugin-ownership-node';
import {
  RepositoryPublisher,
  RepositoryRef,
  assertAllowedHost,
  localForgeFallbackAllowed,
  noCredentialsError,
  repositoryTargetOf,
} from '@paved/plugin-publish-node';
import { examples } from './publish.examples';
import { ownerToRecord } from './publishOwnership';

/** The zod the scaffolder hands to each schema field. */
type Zod = Parameters<
  NonNullable<NonNullable<TemplateActionOptions['schema']>['input']>[string]
>[0];

/** The values a schema of zod fields describes. */
type ValuesOf<S> = {
  [K in keyof S]: S[K] extends (z: Zod) => { _output: infer T } ? T : never;
};

const input = {
  repoUrl: (z: Zod) =>
    z
      .string()
      .describe(
        'Where to publish, as the RepoUrlPicker writes it: host?owner=<owner>&repo=<name>. On GitHub the owner is an organisation or user; on the local forge it is the folder the repository lives in.',
      ),
  owner: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        "The catalogue group that owns the new repository (group:default/storefront), recorded on it as Paved's marker; the task's initiator must belong to it. Required to create a repository; an existing one keeps the owner recorded on it.",
      ),
  allowedHosts: (z: Zod) =>
    z
      .array(z.string())
      .optional()
      .describe(
        "The hosts repoUrl may name, as the template's RepoUrlPicker allows them. Default github.com and the hosts of integrations.github.",
      ),
  description: (z: Zod) =>
    z.string().optional().describe('The repository description.'),
  defaultBranch: (z: Zod) =>
    z
      .string()
      .optional()
      .describe("The branch the content is pushed to. Default 'main'."),
  repoVisibility: (z: Zod) =>
    z
      .enum(['private', 'internal'])
      .optional()
      .describe(
        "Repository visibility; 'internal' needs a GitHub Enterprise organisation. Default 'private'.",
      ),
  topics: (z: Zod) =>
    z
      .array(z.string())
      .optional()
      .describe(
        'Repository topics: lowercase letters, digits and hyphens, at most 20.',
      ),
  sourcePath: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'The folder of the workspace to publish as the repository root. Default the whole workspace.',
      ),
  gitCommitMessage: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        "The first commit's message. Default scaffolder.defaultCommitMessage, else 'initial commit'.",
      ),
  gitAuthorName: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        "The first commit's author. Default scaffolder.defaultAuthor.name, else 'Scaffolder'.",
      ),
  gitAuthorEmail: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        "The author's email. Default scaffolder.defaultAuthor.email, else scaffolder@backstage.io.",
      ),
  catalogInfoPath: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        "The catalogue file's path in the repository, for the catalogInfoUrl output. Default 'catalog-info.yaml'.",
      ),
};

const output = {
  remoteUrl: (z: Zod) =>
    z.string().describe('The URL to clone the repository.'),
  repoContentsUrl: (z: Zod) =>
    z
      .string()
      .describe(
        "The repository's content on the default branch (…/blob/<branch>).",
      ),
  catalogInfoUrl: (z: Zod) =>
    z
      .string()
      .describe(
        'The catalogue file in the repository: the catalogInfoUrl input of catalog:register.',
      ),
  forge: (z: Zod) =>
    z
      .string()
      .describe(
        "Where the repository lives: 'github', 'local' for the local forge, or the id of another RepositoryPublisher.",
      ),
  created: (z: Zod) =>
    z
      .boolean()
      .describe(
        'True when the repository was created by this step; false when it existed and was adopted. In a dry run: whether it would be.',
      ),
  pushed: (z: Zod) =>
    z
      .boolean()
      .describe(
        'True when the content was pushed; false when the branch already held exactly this content. In a dry run: whether it would be.',
      ),
  commitHash: (z: Zod) =>
    z.string().describe('The commit the branch points at; empty in a dry run.'),
};

/** What the handler needs besides its context. */
interface PublishDeps {
  config: RootConfigService;
  publishers: RepositoryPublisher[];
  /** Who may publish to a repository: its recorded owner's members and admins. */
  ownership: OwnershipService;
  /** Where the creation and the push are reported (the scaffolder's auditor). */
  auditor: AuditorService;
}

/** A publish run's context, typed from the schema. */
type PublishContext = ActionContext<
  ValuesOf<typeof input>,
  ValuesOf<typeof output>
>;

/**
 * Creates the `paved:publish` action: publishes the workspace as a new
 * repository through the {@link RepositoryPublisher} that serves the
 * repoUrl's host (GitHub when `integrations.github` has credentials for it),
 * else the fallback one (the local forge). The template decides nothing: the
 * same step works in the embedded default and in production. Both writes
 * run behind a checkpoint and converge when run again: an existing
 * repository is adopted, the same content is not pushed twice, other
 * content is a conflict.
 *
 * @public
 */
export function createPavedPublishAction(options: PublishDeps) {
  return createTemplateAction({
    id: 'paved:publish',
    description:
      'Publishes the workspace as a new repository: to GitHub when integrations.github has credentials for the host, to the local forge otherwise. Feed catalog:register with its catalogInfoUrl output.',
    examples,
    supportsDryRun: true,
    schema: { input, output },
    handler: ctx => publish(ctx as PublishContext, options),
  });
}

/**
 * The publisher for a host: the one that serves it, else the fallback
 * unless `fallback` is false (production), where a host without
 * credentials is an error naming it.
 */
export function publisherFor(
  publishers: RepositoryPublisher[],
  host: string,
  options: { fallback?: boolean } = {},
): RepositoryPublisher {
  const serving = publishers.find(p => p.match(host) === 'serves');
  if (serving) return serving;
  if (options.fallback === false) throw noCredentialsError(host);
  const found = publishers.find(p => p.match(host) === 'fallback');
  if (!found) {
    throw new InputError(
      `repoUrl: no publisher serves the host "${host}"; configure credentials for it under integrations.github`,
    );
  }
  return found;
}

/** One publish run, as planned from its input before anything is written. */
interface Plan {
  publisher: RepositoryPublisher;
  ref: Required<RepositoryRef>;
  branch: string;
  sourceDir: string;
  where: string;
  /** `<publisher>.<host>/<owner>/<name>`, lowercase: the checkpoints' object. */
  key: string;
  /** `repository <host>/<owner>/<name>`: the audit trail's target. */
  target: string;
  catalogInfoPath: string;
}

function planOf(ctx: PublishContext, deps: PublishDeps): Plan {
  const target = repositoryTargetOf(ctx.input.repoUrl);
  assertAllowedHost(target.host, ctx.input.allowedHosts, deps.config);
  const publisher = publisherFor(deps.publishers, target.host, {
    fallback: localForgeFallbackAllowed(deps.config),
  });
  const { owner, name } = publisher.canonicalRef(target);
  return {
    publisher,
    ref: { host: target.host, owner, name },
    branch: ctx.input.defaultBranch ?? 'main',
    sourceDir: ctx.input.sourcePath
      ? resolveSafeChildPath(ctx.workspacePath, ctx.input.sourcePath)
      : ctx.workspacePath,
    where: publisher.describe(target.host),
    key: `${publisher.id}.${target.host}/${owner}/${name}`.toLowerCase(),
    target: `repository ${target.host}/${owner}/${name}`,
    catalogInfoPath: (ctx.input.catalogInfoPath ?? 'catalog-info.yaml').replace(
      /^\/+/,
      '',
    ),
  };
}

/**
 * The plan, or the refusal of a host (outside the allowed ones, without
 * credentials in production), which a real run reports to the audit trail
 * as a failed repository-create.
 */
async function auditedPlanOf(
  ctx: PublishContext,
  deps: PublishDeps,
): Promise<Plan> {
  try {
    return planOf(ctx, deps);
  } catch (error) {
    if (ctx.isDryRun) throw error;
    let target = `repository ${ctx.input.repoUrl}`;
    try {
      const t = repositoryTargetOf(ctx.input.repoUrl);
      target = `repository ${t.host}/${t.owner}/${t.name}`;
    } catch {
      // Unreadable repoUrl: named as given.
    }
    const event = { eventId: 'repository-create', actor: ctx.user?.ref };
    return auditChange(
      deps.auditor,
      { ...event, target, taskId: ctx.task?.id },
      async () => {
        throw error;
      },
    );
  }
}

async function publish(ctx: PublishContext, deps: PublishDeps) {
  const plan = await auditedPlanOf(ctx, deps);
  const { owner, name } = plan.ref;
  if (ctx.isDryRun) {
    await dryRun(ctx, plan);
    return;
  }
  ctx.logger.info(`Publishing ${owner}/${name} to ${plan.where}`);
  const audited = (eventId: string) => ({
    eventId,
    actor: ctx.user?.ref,
    target: plan.target,
    taskId: ctx.task?.id,
    details: { forge: plan.publisher.id },
  });
  const ownershipRequest = {
    ctx,
    ownership: deps.ownership,
    publisher: plan.publisher,
    ref: plan.ref,
    target: plan.target,
  };
  // Log what is done when it is done; a retried task resumes from the
  // checkpoints and says so instead.
  let ran = false;
  const repo = await ctx.checkpoint({
    key: `paved.publish.repository.${plan.key}`,
    fn: async () => {
      ran = true;
      return auditChange(
        deps.auditor,
        audited('repository-create'),
        async () => {
          const ownerGroup = await ownerToRecord(ownershipRequest);
          return createRepository(ctx, plan, ownerGroup);
        },
      );
    },
  });
  const push = await ctx.checkpoint({
    key: `paved.publish.push.${plan.key}.${plan.branch}`,
    fn: async () => {
      ran = true;
      return auditChange(deps.auditor, audited('repository-push'), async () => {
        const ownerGroup =
          // A checkpoint saved before owners were recorded has none.
          repo.ownerGroup ?? (await ownerToRecord(ownershipRequest));
        await deps.ownership.assertMayChange({
          credentials: await ctx.getInitiatorCredentials(),
          ownerRef: ownerGroup,
          target: plan.target,
          action: 'push to',
        });
        return pushContent(ctx, plan, repo, deps.config);
      });
    },
  });
  if (!ran) {
    ctx.logger.info(
      `${repo.owner}/${repo.name} was published by an earlier run of this task (${push.commitSha} on ${plan.branch}): ${repo.htmlUrl}`,
    );
  }
  outputUrls(ctx, plan, repo);
  ctx.output('created', repo.created);
  ctx.output('pushed', push.pushed);
  ctx.output('commitHash', push.commitSha);
}

/** Says what would be published, writing nothing. */
async function dryRun(ctx: PublishContext, plan: Plan) {
  const { owner, name } = plan.ref;
  const preview = await plan.publisher.preview(plan.ref);
  ctx.logger.info(
    `Dry run: would ${
      preview.exists ? 'adopt' : 'create'
    } ${owner}/${name} on ${plan.where} and push the workspace to ${
      plan.branch
    }: ${preview.htmlUrl}`,
  );
  outputUrls(ctx, plan, preview);
  ctx.output('created', !preview.exists);
  ctx.output('pushed', preview.empty);
  ctx.output('commitHash', '');
}

async function createRepository(
  ctx: PublishContext,
  plan: Plan,
  ownerGroup: string,
) {
  const r = await plan.publisher.createRepository(
    {
      ...plan.ref,
      ownerGroup,
      visibility: ctx.input.repoVisibility,
      description: ctx.input.description,
      topics: ctx.input.topics,
      defaultBranch: plan.branch,
    },
    { logger: ctx.logger },
  );
  ctx.logger.info(
    `${r.created ? 'Created' : 'Adopted the existing'} ${r.owner}/${r.name}: ${
      r.htmlUrl
    }`,
  );
  const { created, owner, name, htmlUrl, cloneUrl } = r;
  return { created, owner, name, htmlUrl, cloneUrl, ownerGroup };
}

async function pushContent(
  ctx: PublishContext,
  plan: Plan,
  repo: { owner: string; name: string },
  config: RootConfigService,
) {
  const setting = (key: string) =>
    config.getOptionalString(`scaffolder.${key}`);
  const r = await plan.publisher.pushInitialContent(
    {
      ...plan.ref,
      owner: repo.owner,
      name: repo.name,
      sourceDir: plan.sourceDir,
      branch: plan.branch,
      message:
        ctx.input.gitCommitMessage ??
        setting('defaultCommitMessage') ??
        'initial commit',
      author: {
        name:
          ctx.input.gitAuthorName ??
          setting('defaultAuthor.name') ??
          'Scaffolder',
        email:
          ctx.input.gitAuthorEmail ??
          setting('defaultAuthor.email') ??
          'scaffolder@backstage.io',
      },
    },
    { logger: ctx.logger },
  );
  ctx.logger.info(
    r.pushed
      ? `Pushed the workspace to ${plan.branch} as ${r.commitSha}`
      : `${plan.branch} already holds this content (${r.commitSha}); nothing to push`,
  );
  return { commitSha: r.commitSha, pushed: r.pushed };
}

function outputUrls(
  ctx: PublishContext,
  plan: Plan,
  repo: { htmlUrl: string; cloneUrl: string },
) {
  ctx.output('remoteUrl', repo.cloneUrl);
  ctx.output('repoContentsUrl', `${repo.htmlUrl}/blob/${plan.branch}`);
  ctx.output(
    'catalogInfoUrl',
    `${repo.htmlUrl}/blob/${plan.branch}/${plan.catalogInfoPath}`,
  );
  ctx.output('forge', plan.publisher.id);
}
