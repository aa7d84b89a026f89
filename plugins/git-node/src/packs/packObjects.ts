import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import { loadIsomorphicGit } from '../loadIsomorphicGit';
import { hasObject } from '../read/readObjects';
import { listRefs } from '../refs/listRefs';

const OID_PATTERN = /^[0-9a-f]{40}$/;

/**
 * The haves of one upload-pack request that are looked up. Each costs an
 * object lookup; one past this is treated as unknown, which only makes the
 * pack larger, never wrong.
 *
 * @public
 */
export const MAX_HAVES = 4096;

/**
 * What a client asks of upload-pack: the tips it wants, the objects it has,
 * and whether it wants the pack yet (false for a negotiation round).
 *
 * @public
 */
export interface PackObjectsRequest {
  wants: string[];
  haves: string[];
  pack?: boolean;
}

/**
 * The server side of upload-pack: the `haves` this repository holds (as
 * `common`) and, unless `pack` is false, a packfile of every object reachable
 * from `wants` and not from them. Each want must be an advertised ref tip or
 * peeled tag (git's default), else an InputError `not our ref`.
 *
 * @public
 */
export async function packObjects(
  gitdir: string,
  request: PackObjectsRequest,
): Promise<{ common: string[]; pack?: Uint8Array }> {
  const { refs } = await listRefs(gitdir);
  const tips = new Set(refs.flatMap(r => [r.oid, r.peeled ?? r.oid]));
  const wants = [...new Set(request.wants)];
  for (const want of wants) {
    if (!tips.has(want)) {
      throw new InputError(`not our ref ${want}`);
    }
  }
  const common: string[] = [];
  for (const have of [...new Set(request.haves)].slice(0, MAX_HAVES)) {
    if (OID_PATTERN.test(have) && (await hasObject(gitdir, have))) {
      common.push(have);
    }
  }
  if (request.pack === false) return { common };
  const excluded = await reachableObjects(gitdir, common, new Set());
  const included = await reachableObjects(gitdir, wants, excluded);
  const git = loadIsomorphicGit();
  const { packfile } = await git.packObjects({
    fs,
    gitdir,
    oids: [...included],
  });
  return { common, pack: packfile! };
}

/**
 * Every object reachable from `starts` (commits, trees, blobs, tags),
 * stopping at the objects in `stop`. Submodule entries are not followed: they
 * point outside the repository.
 *
 * @public
 */
export async function reachableObjects(
  gitdir: string,
  starts: string[],
  stop: Set<string>,
): Promise<Set<string>> {
  const git = loadIsomorphicGit();
  const seen = new Set<string>();
  const pending: Array<{ oid: string; type?: string }> = starts.map(oid => ({
    oid,
  }));
  while (pending.length > 0) {
    const { oid, type: knownType } = pending.pop()!;
    if (seen.has(oid) || stop.has(oid)) continue;
    seen.add(oid);
    if (knownType === 'blob') continue;
    const type = knownType ?? (await git.readObject({ fs, gitdir, oid })).type;
    if (type === 'commit') {
      const { commit } = await git.readCommit({ fs, gitdir, oid });
      pending.push({ oid: commit.tree, type: 'tree' });
      for (const parent of commit.parent) pending.push({ oid: parent });
    } else if (type === 'tree') {
      const { tree } = await git.readTree({ fs, gitdir, oid });
      for (const entry of tree) {
        if (entry.type !== 'commit') {
          pending.push({ oid: entry.oid, type: entry.type });
        }
      }
    } else if (type === 'tag') {
      const { tag } = await git.readTag({ fs, gitdir, oid });
      pending.push({ oid: tag.object });
    }
  }
  return seen;
}
