import fs from 'node:fs';
import { loadIsomorphicGit } from '../loadIsomorphicGit';

/**
 * An entry of a tree as stored: `path` is its name inside the tree.
 *
 * @public
 */
export interface GitStoredTreeEntry {
  mode: string;
  path: string;
  oid: string;
  type: 'blob' | 'tree' | 'commit';
}

/**
 * The tree at a path of a commit (or of a tree), or undefined when the path
 * is missing or is not a folder.
 *
 * @public
 */
export async function readTreeAt(
  gitdir: string,
  oid: string,
  dirPath: string,
): Promise<{ oid: string; entries: GitStoredTreeEntry[] } | undefined> {
  const git = loadIsomorphicGit();
  try {
    const { oid: treeOid, tree } = await git.readTree({
      fs,
      gitdir,
      oid,
      filepath: dirPath || undefined,
    });
    return { oid: treeOid, entries: tree };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'NotFoundError' || name === 'ObjectTypeError') {
      return undefined;
    }
    throw error;
  }
}

/**
 * Every file below a tree (recursively), with paths relative to it; submodule
 * entries are left out.
 *
 * @public
 */
export async function listTreeFiles(
  gitdir: string,
  treeOid: string,
): Promise<Array<{ path: string; oid: string; mode: string }>> {
  const git = loadIsomorphicGit();
  const files: Array<{ path: string; oid: string; mode: string }> = [];
  const walk = async (oid: string, prefix: string) => {
    const { tree } = await git.readTree({ fs, gitdir, oid });
    for (const entry of tree) {
      const entryPath = prefix ? `${prefix}/${entry.path}` : entry.path;
      if (entry.type === 'tree') await walk(entry.oid, entryPath);
      else if (entry.type === 'blob') {
        files.push({ path: entryPath, oid: entry.oid, mode: entry.mode });
      }
    }
  };
  await walk(treeOid, '');
  return files;
}
