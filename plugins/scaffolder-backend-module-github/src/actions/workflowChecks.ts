import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

const PR_EVENTS = ['pull_request', 'pull_request_target', 'merge_group'];

/** The status checks a workspace's workflows report on pull requests. */
export interface WorkflowChecks {
  /** Check names, as GitHub shows them: a job's `name`, else its id. */
  checks: string[];
  /** Jobs left out, with why (they may not run on pull requests). */
  skipped: string[];
}

function triggers(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  if (on && typeof on === 'object') return Object.keys(on);
  return [];
}

/**
 * Reads `.github/workflows/*.yml|yaml` of a workspace and names the checks
 * that every pull request will report, to require them before merging.
 * Left out, because requiring them could block every pull request: jobs of
 * workflows that do not run on pull requests, jobs with an `if:` condition,
 * matrix jobs (their check names carry the matrix values) and calls of
 * reusable workflows (`caller / callee` names).
 */
export async function readWorkflowChecks(
  workspacePath: string,
): Promise<WorkflowChecks> {
  const dir = path.join(workspacePath, '.github', 'workflows');
  const files = (await fs.readdir(dir).catch(() => [] as string[]))
    .filter(f => /\.ya?ml$/.test(f))
    .sort();
  const checks: string[] = [];
  const skipped: string[] = [];
  for (const file of files) {
    let doc: any;
    try {
      doc = parse(await fs.readFile(path.join(dir, file), 'utf8'));
    } catch (error) {
      skipped.push(
        `${file}: not valid YAML (${(error as Error).message.split('\n')[0]})`,
      );
      continue;
    }
    const on = triggers(doc?.on ?? doc?.true);
    if (!on.some(event => PR_EVENTS.includes(event))) {
      skipped.push(`${file}: does not run on pull requests`);
      continue;
    }
    for (const [id, job] of Object.entries<any>(doc?.jobs ?? {})) {
      const label = `${file} job ${id}`;
      if (job?.if !== undefined) {
        skipped.push(`${label}: runs only if ${job.if}`);
      } else if (job?.strategy?.matrix !== undefined) {
        skipped.push(`${label}: a matrix job`);
      } else if (job?.uses !== undefined) {
        skipped.push(`${label}: calls a reusable workflow`);
      } else {
        const name = typeof job?.name === 'string' ? job.name : id;
        if (/\$\{\{/.test(name)) {
          skipped.push(`${label}: its name is an expression`);
        } else if (!checks.includes(name)) {
          checks.push(name);
        }
      }
    }
  }
  return { checks, skipped };
}
