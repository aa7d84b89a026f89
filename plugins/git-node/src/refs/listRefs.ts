import { peelTags } from '../read/readObjects';
import { listRefNames, readRef, readSymbolicRef } from './gitRefs';

/**
 * The refs a repository advertises to git clients.
 *
 * @public
 */
export interface GitRefs {
  /** The ref HEAD names, when it exists. */
  head?: { target: string; oid: string };
  /** Branches then tags; `peeled` is the object an annotated tag points at. */
  refs: Array<{ name: string; oid: string; peeled?: string }>;
}

/**
 * The branches and tags of a repository, each sorted by name, and the branch
 * HEAD names when that branch exists: what git's reference discovery
 * advertises.
 *
 * @public
 */
export async function listRefs(gitdir: string): Promise<GitRefs> {
  const refs: GitRefs['refs'] = [];
  for (const prefix of ['refs/heads', 'refs/tags']) {
    const names = await listRefNames(gitdir, prefix);
    for (const name of names.sort()) {
      const full = `${prefix}/${name}`;
      const oid = await readRef(gitdir, full);
      if (!oid) continue;
      let peeled: string | undefined;
      if (prefix === 'refs/tags') {
        const target = await peelTags(gitdir, oid, 1);
        if (target !== oid) peeled = target;
      }
      refs.push({ name: full, oid, peeled });
    }
  }
  const target = await readSymbolicRef(gitdir, 'HEAD');
  const headOid = target && refs.find(r => r.name === target)?.oid;
  return {
    head: target && headOid ? { target, oid: headOid } : undefined,
    refs,
  };
}
