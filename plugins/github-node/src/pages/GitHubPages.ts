import { ConflictError } from '@backstage/errors';
import {
  EnablePagesResult,
  GitHubCallOptions,
  GitHubRepoRef,
} from '../GitHubRepoService';
import { GitHubClient } from '../client/GitHubClient';
import { GitHubSession } from '../client/GitHubSession';
import { hasStatus } from '../errors';
import { assertRepositoryName } from '../names';

/** GitHub's 409 "GitHub Pages is already enabled." */
const alreadyEnabled = (error: unknown) => hasStatus(error, 409);

/**
 * A repository's GitHub Pages site, built by its Actions workflow
 * (`actions/deploy-pages`): enabled where there is none, compared where
 * there is one.
 */
export class GitHubPages {
  readonly #client: GitHubClient;

  constructor(options: { client: GitHubClient }) {
    this.#client = options.client;
  }

  async enable(
    request: GitHubRepoRef,
    options?: GitHubCallOptions,
  ): Promise<EnablePagesResult> {
    const { owner, name } = request;
    assertRepositoryName(name);
    const action = `enabling GitHub Pages of ${owner}/${name}`;
    const s = await this.#client.session(request, action, options);
    try {
      const created = await this.#client.onRepo(
        s,
        () =>
          s.octokit.rest.repos.createPagesSite({
            owner: s.repo.owner,
            repo: s.repo.name,
            build_type: 'workflow',
          }),
        alreadyEnabled,
      );
      s.logger.info(`Enabled GitHub Pages of ${s.full}`, {
        url: created.data.html_url,
      });
      return { action: 'enabled', url: created.data.html_url ?? '' };
    } catch (error) {
      if (!alreadyEnabled(error)) throw this.#client.fail(error, action, s);
    }
    return this.#compare(s, action);
  }

  /** A site that exists: unchanged when the workflow builds it, else a conflict. */
  async #compare(s: GitHubSession, action: string): Promise<EnablePagesResult> {
    let site;
    try {
      site = (
        await s.octokit.rest.repos.getPages({
          owner: s.repo.owner,
          repo: s.repo.name,
        })
      ).data;
    } catch (error) {
      throw this.#client.fail(error, action, s);
    }
    if (site.build_type !== 'workflow') {
      throw new ConflictError(
        `${s.full} already has a GitHub Pages site built from the branch ${
          site.source?.branch ?? 'of its settings'
        }; Paved will not change it. Set its source to GitHub Actions (Settings → Pages) for the workflow to publish it`,
      );
    }
    return { action: 'unchanged', url: site.html_url ?? '' };
  }
}
