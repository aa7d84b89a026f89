/** Repository rulesets: list, create, read, replace and delete. */
import {
  docs,
  found,
  notFound,
  notSupplied,
  validationFailed,
} from '../responses';
import { Urls, rulesetSummaryJson, timestamp } from '../serialize';
import { RepoState } from '../state';
import { featureRoute } from './guards';
import { listReply } from './pagination';
import { Route } from './route';
import { requireBody } from './validation';

const RULE_TYPES = new Set([
  'creation',
  'update',
  'deletion',
  'required_linear_history',
  'required_deployments',
  'required_signatures',
  'pull_request',
  'required_status_checks',
  'non_fast_forward',
  'commit_message_pattern',
  'commit_author_email_pattern',
  'committer_email_pattern',
  'branch_name_pattern',
  'tag_name_pattern',
  'merge_queue',
  'code_scanning',
  'copilot_code_review',
]);

function validateRuleset(
  body: Record<string, any>,
  doc: string,
  repo: RepoState,
  exceptId?: number,
) {
  const errors: string[] = [];
  if (typeof body.name !== 'string' || !body.name) {
    throw notSupplied('name', doc);
  }
  if (!['disabled', 'active', 'evaluate'].includes(body.enforcement)) {
    if (body.enforcement === undefined) throw notSupplied('enforcement', doc);
    errors.push(`Invalid property /enforcement: \`${body.enforcement}\``);
  }
  if (body.target && !['branch', 'tag', 'push'].includes(body.target)) {
    errors.push(`Invalid property /target: \`${body.target}\``);
  }
  for (const [i, rule] of (body.rules ?? []).entries()) {
    if (!rule || !RULE_TYPES.has(rule.type)) {
      errors.push(
        `Invalid property /rules/${i}: data matches no possible input`,
      );
    }
    if (
      rule?.type === 'pull_request' &&
      typeof rule.parameters?.required_approving_review_count !== 'number'
    ) {
      errors.push(
        `Invalid property /rules/${i}/parameters: "required_approving_review_count" wasn't supplied.`,
      );
    }
    if (
      rule?.type === 'required_status_checks' &&
      !Array.isArray(rule.parameters?.required_status_checks)
    ) {
      errors.push(
        `Invalid property /rules/${i}/parameters: "required_status_checks" wasn't supplied.`,
      );
    }
  }
  for (const existing of repo.rulesets.values()) {
    if (existing.id !== exceptId && existing.name === body.name) {
      errors.push('Name must be unique');
    }
  }
  if (errors.length) throw validationFailed(doc, errors);
}

function rulesetFromBody(
  body: Record<string, any>,
  repo: RepoState,
  urls: Urls,
  id: number,
  createdAt: string,
) {
  const full = `${repo.owner}/${repo.name}`;
  return {
    id,
    name: body.name,
    target: body.target ?? 'branch',
    source_type: 'Repository',
    source: full,
    enforcement: body.enforcement,
    bypass_actors: body.bypass_actors ?? [],
    conditions: body.conditions ?? {
      ref_name: { include: [], exclude: [] },
    },
    rules: body.rules ?? [],
    node_id: Buffer.from(`RepositoryRuleset:${id}`).toString('base64'),
    _links: {
      self: { href: `${urls.api}/repos/${full}/rulesets/${id}` },
      html: { href: `${urls.web}/${full}/rules/${id}` },
    },
    created_at: createdAt,
    updated_at: timestamp(),
    current_user_can_bypass: 'never',
  };
}

/** The rulesets endpoints, in matching order. @internal */
export const rulesetRoutes: Route[] = [
  featureRoute('rulesetSupport', {
    method: 'GET',
    path: '/repos/{owner}/{repo}/rulesets',
    docs: docs.listRulesets,
    permission: 'administration=read',
    handler(req) {
      return listReply(
        req,
        [...req.repo.rulesets.values()].map(rulesetSummaryJson),
      );
    },
  }),
  featureRoute('rulesetSupport', {
    method: 'POST',
    path: '/repos/{owner}/{repo}/rulesets',
    docs: docs.rulesets,
    permission: 'administration=write',
    handler(req) {
      const repo = req.repo;
      const body = requireBody(req, docs.rulesets);
      validateRuleset(body, docs.rulesets, repo);
      const id = req.driver.newId();
      const ruleset = rulesetFromBody(body, repo, req.urls, id, timestamp());
      repo.rulesets.set(id, ruleset);
      return { status: 201, body: ruleset };
    },
  }),
  featureRoute('rulesetSupport', {
    method: 'GET',
    path: '/repos/{owner}/{repo}/rulesets/{id}',
    docs: docs.getRuleset,
    permission: 'administration=read',
    handler(req) {
      const ruleset = req.repo.rulesets.get(Number(req.params.id));
      return { status: 200, body: found(ruleset, docs.getRuleset) };
    },
  }),
  featureRoute('rulesetSupport', {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/rulesets/{id}',
    docs: docs.updateRuleset,
    permission: 'administration=write',
    handler(req) {
      const repo = req.repo;
      const existing = found(
        repo.rulesets.get(Number(req.params.id)),
        docs.updateRuleset,
      );
      const body = { ...existing, ...requireBody(req, docs.updateRuleset) };
      validateRuleset(body, docs.updateRuleset, repo, existing.id);
      const ruleset = rulesetFromBody(
        body,
        repo,
        req.urls,
        existing.id,
        existing.created_at,
      );
      repo.rulesets.set(existing.id, ruleset);
      return { status: 200, body: ruleset };
    },
  }),
  featureRoute('rulesetSupport', {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/rulesets/{id}',
    docs: docs.updateRuleset,
    permission: 'administration=write',
    handler(req) {
      if (!req.repo.rulesets.delete(Number(req.params.id))) {
        throw notFound(docs.updateRuleset);
      }
      return { status: 204 };
    },
  }),
];
