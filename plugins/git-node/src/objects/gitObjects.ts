import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createDeflate } from 'node:zlib';

/** A git object type the forge writes. */
export type GitObjectType = 'blob' | 'tree' | 'commit';

/** One entry of a git tree. */
export interface GitTreeEntry {
  /** '100644', '100755', '120000' (symlink) or '40000' (tree). */
  mode: string;
  name: string;
  oid: string;
}

/** An author or committer line. */
export interface GitSignature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  timestamp: number;
}

/**
 * Writes one loose object the way git does (zlib of "<type> <size>\0<data>"
 * under objects/xx/yyyy), but atomically: into a temporary file that is
 * flushed to disk and then renamed into place. A crash leaves at most a
 * `tmp_obj_*` file behind, never a truncated object under its final name
 * (which a later write would then trust because the name already exists).
 */
export async function writeLooseObject(
  gitdir: string,
  type: GitObjectType,
  size: number,
  content: AsyncIterable<Buffer> | Iterable<Buffer>,
): Promise<string> {
  const objects = path.join(gitdir, 'objects');
  const tmp = path.join(objects, `tmp_obj_${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha1');
  let written = 0;
  async function* source() {
    const header = Buffer.from(`${type} ${size}\0`);
    hash.update(header);
    yield header;
    for await (const chunk of content) {
      written += chunk.length;
      hash.update(chunk);
      yield chunk;
    }
  }
  try {
    await pipeline(
      source(),
      createDeflate(),
      fs.createWriteStream(tmp, { flags: 'wx', mode: 0o444, flush: true }),
    );
    if (written !== size) {
      throw new Error(
        `${type} changed while it was being stored (${written} bytes read, ${size} expected)`,
      );
    }
    const oid = hash.digest('hex');
    const target = path.join(objects, oid.slice(0, 2), oid.slice(2));
    if (await exists(target)) {
      await fs.promises.rm(tmp, { force: true });
    } else {
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.rename(tmp, target);
    }
    return oid;
  } catch (error) {
    await fs.promises.rm(tmp, { force: true });
    throw error;
  }
}

/** Stores a buffer as an object. */
export function writeBufferObject(
  gitdir: string,
  type: GitObjectType,
  data: Buffer,
): Promise<string> {
  return writeLooseObject(gitdir, type, data.length, [data]);
}

/** Stores a file's content as a blob, streaming it (large files stay out of memory). */
export async function writeFileBlob(
  gitdir: string,
  file: string,
  size: number,
): Promise<string> {
  return writeLooseObject(
    gitdir,
    'blob',
    size,
    fs.createReadStream(file) as AsyncIterable<Buffer>,
  );
}

/**
 * The bytes of a tree object. Git orders entries by name, comparing a
 * subtree's name as if it ended with '/'; `git fsck` rejects other orders.
 */
export function encodeTree(entries: GitTreeEntry[]): Buffer {
  const sortKey = (e: GitTreeEntry) =>
    Buffer.from(e.mode === '40000' ? `${e.name}/` : e.name);
  const sorted = [...entries].sort((a, b) =>
    Buffer.compare(sortKey(a), sortKey(b)),
  );
  return Buffer.concat(
    sorted.flatMap(e => [
      Buffer.from(`${e.mode} ${e.name}\0`),
      Buffer.from(e.oid, 'hex'),
    ]),
  );
}

/** The bytes of a commit object (UTC timestamps). */
export function encodeCommit(options: {
  tree: string;
  parents?: string[];
  author: GitSignature;
  committer: GitSignature;
  message: string;
}): Buffer {
  const sign = (s: GitSignature) =>
    `${s.name} <${s.email}> ${Math.floor(s.timestamp)} +0000`;
  const lines = [`tree ${options.tree}`];
  for (const parent of options.parents ?? []) lines.push(`parent ${parent}`);
  lines.push(`author ${sign(options.author)}`);
  lines.push(`committer ${sign(options.committer)}`);
  const message = options.message.endsWith('\n')
    ? options.message
    : `${options.message}\n`;
  return Buffer.from(`${lines.join('\n')}\n\n${message}`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file);
    return true;
  } catch {
    return false;
  }
}
