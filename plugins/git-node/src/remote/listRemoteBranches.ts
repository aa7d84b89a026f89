import { loadIsomorphicGit, loadIsomorphicGitHttp } from '../loadIsomorphicGit';
import { GitHttpRemote } from './GitHttpRemote';

/**
 * The remote's branches (name to commit) and the branch HEAD names.
 *
 * @public
 */
export async function listRemoteBranches(
  remote: GitHttpRemote,
): Promise<{ branches: Map<string, string>; head?: string }> {
  const git = loadIsomorphicGit();
  const refs = await git.listServerRefs({
    http: loadIsomorphicGitHttp(),
    url: remote.url,
    headers: remote.headers,
    protocolVersion: 1,
    symrefs: true,
  });
  const branches = new Map<string, string>();
  let head: string | undefined;
  for (const ref of refs) {
    if (ref.ref.startsWith('refs/heads/')) {
      branches.set(ref.ref.slice('refs/heads/'.length), ref.oid);
    } else if (ref.ref === 'HEAD' && ref.target?.startsWith('refs/heads/')) {
      head = ref.target.slice('refs/heads/'.length);
    }
  }
  return { branches, head };
}
