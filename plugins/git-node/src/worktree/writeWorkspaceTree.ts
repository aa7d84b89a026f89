import fs from 'node:fs';
import path from 'node:path';
import { loadIsomorphicGit } from '../loadIsomorphicGit';
import {
  encodeTree,
  GitTreeEntry,
  writeBufferObject,
  writeFileBlob,
} from '../objects/gitObjects';

type IsIgnored = (filepath: string) => Promise<boolean>;

/**
 * Stores a directory as git objects (blobs and trees) and returns the root
 * tree id. What is committed matches `git add .` in that directory, as
 * upstream's publish actions do: `.gitignore` rules apply, `.git` folders (in
 * any case) are left out, files executable by their owner are 100755, symlinks are stored as links
 * (never followed) and empty folders are dropped.
 */
export async function writeWorkspaceTree(
  gitdir: string,
  sourceDir: string,
): Promise<{ tree: string; files: number }> {
  const git = loadIsomorphicGit();
  const isIgnored: IsIgnored = filepath =>
    git.isIgnored({ fs, dir: sourceDir, filepath });
  let files = 0;

  async function writeDir(relative: string): Promise<string | undefined> {
    const absolute = path.join(sourceDir, relative);
    const dirents = await fs.promises.readdir(absolute, {
      withFileTypes: true,
    });
    const entries: GitTreeEntry[] = [];
    for (const dirent of dirents) {
      const child = relative ? `${relative}/${dirent.name}` : dirent.name;
      // git refuses a .git folder in any case (.GIT is .git on the
      // case-insensitive disks of macOS and Windows clients).
      if (dirent.name.toLowerCase() === '.git' || (await isIgnored(child))) {
        continue;
      }
      const file = path.join(absolute, dirent.name);
      const stat = await fs.promises.lstat(file);
      if (stat.isDirectory()) {
        const oid = await writeDir(child);
        if (oid) entries.push({ mode: '40000', name: dirent.name, oid });
      } else if (stat.isSymbolicLink()) {
        const target = Buffer.from(await fs.promises.readlink(file));
        const oid = await writeBufferObject(gitdir, 'blob', target);
        entries.push({ mode: '120000', name: dirent.name, oid });
        files += 1;
      } else if (stat.isFile()) {
        const oid = await writeFileBlob(gitdir, file, stat.size);
        // git looks at the owner's execute bit only (ce_permissions).
        // eslint-disable-next-line no-bitwise
        const executable = (stat.mode & 0o100) !== 0;
        entries.push({
          mode: executable ? '100755' : '100644',
          name: dirent.name,
          oid,
        });
        files += 1;
      }
      // Sockets, FIFOs and devices have no place in a repository.
    }
    if (entries.length === 0 && relative) return undefined;
    return writeBufferObject(gitdir, 'tree', encodeTree(entries));
  }

  const tree = (await writeDir(''))!;
  return { tree, files };
}
