import { toGitHubError } from './errors';

/** A failed request as Octokit reports it: status, response headers and body. */
function failure(
  status: number,
  headers: Record<string, string>,
  message: string,
  request = { method: 'GET', url: 'https://api.github.com/repos/o/r/pulls' },
) {
  return Object.assign(new Error(message), {
    status,
    request,
    response: { status, headers, data: { message } },
  });
}

describe('toGitHubError', () => {
  it("reads GitHub's permission sets: all of a set, any one set", () => {
    const error = toGitHubError(
      failure(
        403,
        {
          'x-accepted-github-permissions':
            'pull_requests=write,contents=read; issues=write,contents=read',
        },
        'Resource not accessible by integration',
      ),
      'opening a pull request on o/r',
      { credentials: 'app' },
    );
    expect(error).toMatchObject({
      name: 'NotAllowedError',
      message:
        "opening a pull request on o/r failed: the GitHub App installation lacks the permissions this needs: 'pull_requests: write' and 'contents: read', or 'issues: write' and 'contents: read'. GitHub said: Resource not accessible by integration",
    });
    expect(
      toGitHubError(
        failure(403, { 'x-accepted-github-permissions': 'secrets=read' }, 'x'),
        'reading',
        { credentials: 'app' },
      ).message,
    ).toBe(
      "reading failed: the GitHub App installation lacks the permission this needs: 'secrets: read'. GitHub said: x",
    );
  });

  it('names a missing token scope behind a 404 only when the token lacks it', () => {
    const headers = {
      'x-oauth-scopes': 'read:org',
      'x-accepted-oauth-scopes': 'repo',
    };
    expect(
      toGitHubError(failure(404, headers, 'Not Found'), 'listing pulls', {
        credentials: 'token',
      }).message,
    ).toBe(
      "listing pulls failed: the GitHub token lacks the scope this needs: 'repo' (the token has 'read:org'). GitHub answered 404 Not Found, as it does to a token without the scope",
    );
    // repo implies public_repo; with the scope, a 404 is a 404.
    expect(
      toGitHubError(
        failure(404, { ...headers, 'x-oauth-scopes': 'repo' }, 'Not Found'),
        'listing pulls',
        { credentials: 'token' },
      ).name,
    ).toBe('NotFoundError');
    // Fine-grained tokens get no x-oauth-scopes: nothing to compare.
    expect(
      toGitHubError(failure(404, {}, 'Not Found'), 'listing pulls', {
        credentials: 'token',
      }).name,
    ).toBe('NotFoundError');
  });
});
