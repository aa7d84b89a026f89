/**
 * A repository's GitHub Pages site: create, read, update and delete, as the
 * REST API answers them (docs "REST API endpoints for GitHub Pages", API
 * version 2022-11-28). The 409 for a site that exists is GitHub's captured
 * answer (2020: "GitHub Pages is already enabled."); the 422 for a private
 * repository whose plan has no Pages was captured in 2026 ("Your current
 * plan does not support GitHub Pages for this repository").
 */
import { GitHubHttpError, docs, found, validationFailed } from '../responses';
import { listBranches } from '../gitCli';
import { Urls } from '../serialize';
import { PagesState, RepoState } from '../state';
import { RepoRequest, Route, repoRoute } from './route';
import { requireBody } from './validation';

const BUILD_TYPES = ['legacy', 'workflow'];
const SOURCE_PATHS = ['/', '/docs'];

/** The site's address: `https://<owner>.github.io/<repo>/` on github.com. */
function siteUrl(repo: RepoState, urls: Urls): string {
  const web = new URL(urls.web);
  return web.hostname === 'github.com'
    ? `https://${repo.owner.toLowerCase()}.github.io/${repo.name}/`
    : `${urls.web}/pages/${repo.owner}/${repo.name}/`;
}

/** The Page object GitHub answers with. */
function pageJson(repo: RepoState, pages: PagesState, urls: Urls) {
  return {
    url: `${urls.api}/repos/${repo.owner}/${repo.name}/pages`,
    status: pages.status,
    cname: pages.cname,
    protected_domain_state: null,
    pending_domain_unverified_at: null,
    custom_404: false,
    html_url: siteUrl(repo, urls),
    build_type: pages.buildType,
    source: { ...pages.source },
    public: !repo.private,
    https_enforced: pages.httpsEnforced,
  };
}

/** 422 for a field outside its enum, in GitHub's schema wording. */
function notOneOf(
  field: string,
  value: unknown,
  allowed: string[],
  doc: string,
) {
  return new GitHubHttpError(
    422,
    `Invalid request.\n\nFor '${field}', ${JSON.stringify(
      value,
    )} is not one of ${allowed.map(a => JSON.stringify(a)).join(', ')}.`,
    doc,
  );
}

/** The `source` of a body, checked: a branch of the repository and `/` or `/docs`. */
async function sourceOf(
  req: RepoRequest,
  source: any,
  doc: string,
): Promise<PagesState['source']> {
  if (typeof source?.branch !== 'string') {
    throw new GitHubHttpError(
      422,
      `Invalid request.\n\n"branch" wasn't supplied.`,
      doc,
    );
  }
  const path = source.path ?? '/';
  if (!SOURCE_PATHS.includes(path)) {
    throw notOneOf('path', path, SOURCE_PATHS, doc);
  }
  const branches = await listBranches(req.repo.gitDir);
  if (!branches.has(source.branch)) {
    throw validationFailed(doc, [
      {
        resource: 'Page',
        code: 'custom',
        field: 'source',
        message: `The ${source.branch} branch must exist before GitHub Pages can be built.`,
      },
    ]);
  }
  return { branch: source.branch, path };
}

/** The Pages endpoints, in matching order. @internal */
export const pagesRoutes: Route[] = [
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/pages',
    docs: docs.getPages,
    permission: 'pages=read',
    handler(req) {
      const pages = found(req.repo.pages, docs.getPages);
      return { status: 200, body: pageJson(req.repo, pages, req.urls) };
    },
  }),
  repoRoute({
    method: 'POST',
    path: '/repos/{owner}/{repo}/pages',
    docs: docs.createPages,
    permission: 'pages=write',
    async handler(req) {
      const doc = docs.createPages;
      const body = requireBody(req, doc);
      if (body.build_type === undefined && body.source === undefined) {
        throw new GitHubHttpError(
          422,
          `Invalid request.\n\n"source" wasn't supplied.`,
          doc,
        );
      }
      const buildType = body.build_type ?? 'legacy';
      if (!BUILD_TYPES.includes(buildType)) {
        throw notOneOf('build_type', buildType, BUILD_TYPES, doc);
      }
      if (req.repo.private && req.driver.pagesSupport !== 'available') {
        throw new GitHubHttpError(
          422,
          'Your current plan does not support GitHub Pages for this repository.',
          doc,
        );
      }
      if (req.repo.pages) {
        throw new GitHubHttpError(409, 'GitHub Pages is already enabled.', doc);
      }
      // A workflow-built site needs no branch yet: the workflow uploads it.
      const source =
        buildType === 'legacy' || body.source !== undefined
          ? await sourceOf(req, body.source, doc)
          : { branch: req.repo.defaultBranch, path: '/' };
      req.repo.pages = {
        buildType,
        source,
        cname: null,
        httpsEnforced: true,
        status: null,
      };
      return {
        status: 201,
        body: pageJson(req.repo, req.repo.pages, req.urls),
      };
    },
  }),
  repoRoute({
    method: 'PUT',
    path: '/repos/{owner}/{repo}/pages',
    docs: docs.updatePages,
    permission: 'pages=write',
    async handler(req) {
      const doc = docs.updatePages;
      const pages = found(req.repo.pages, doc);
      const body = requireBody(req, doc);
      if (body.build_type !== undefined) {
        if (!BUILD_TYPES.includes(body.build_type)) {
          throw notOneOf('build_type', body.build_type, BUILD_TYPES, doc);
        }
        pages.buildType = body.build_type;
      }
      if (body.source !== undefined) {
        pages.source = await sourceOf(req, body.source, doc);
      }
      if (body.cname !== undefined) pages.cname = body.cname;
      if (typeof body.https_enforced === 'boolean') {
        pages.httpsEnforced = body.https_enforced;
      }
      return { status: 204 };
    },
  }),
  repoRoute({
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/pages',
    docs: docs.deletePages,
    permission: 'pages=write',
    handler(req) {
      found(req.repo.pages, docs.deletePages);
      req.repo.pages = undefined;
      return { status: 204 };
    },
  }),
];
