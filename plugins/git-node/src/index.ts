/**
 * Paved's one git layer: crash-safe loose objects, refs under git's lock
 * protocol, workspace trees as `git add -A` makes them, reads, packs, the
 * smart HTTP client and the upload-pack protocol. Shared by the GitHub
 * driver and the local forge; isomorphic-git is loaded on first use.
 *
 * @packageDocumentation
 */

export { loadIsomorphicGit, loadIsomorphicGitHttp } from './loadIsomorphicGit';
export type { IsomorphicGitModule } from './loadIsomorphicGit';
export {
  encodeCommit,
  encodeTree,
  writeBufferObject,
  writeFileBlob,
  writeLooseObject,
} from './objects/gitObjects';
export type {
  GitObjectType,
  GitSignature,
  GitTreeEntry,
} from './objects/gitObjects';
export {
  breakStaleLock,
  compareAndSwapRef,
  listRefNames,
  readHeadBranch,
  readRef,
  readSymbolicRef,
  writeSymbolicRef,
} from './refs/gitRefs';
export { listRefs } from './refs/listRefs';
export type { GitRefs } from './refs/listRefs';
export {
  expandCommitOid,
  hasObject,
  peelTags,
  readBlob,
  readCommit,
  readFileAt,
  readObjectType,
} from './read/readObjects';
export type { GitCommitSummary } from './read/readObjects';
export { listTreeFiles, readTreeAt } from './read/readTree';
export type { GitStoredTreeEntry } from './read/readTree';
export { initBareRepository } from './repository/initBareRepository';
export type { InitBareRepositoryOptions } from './repository/initBareRepository';
export { writeWorkspaceTree } from './worktree/writeWorkspaceTree';
export { writeCommit } from './worktree/writeCommit';
export type { WriteCommitOptions } from './worktree/writeCommit';
export { commitWorkspace } from './worktree/commitWorkspace';
export type { CommitWorkspaceOptions } from './worktree/commitWorkspace';
export { commitChanges } from './worktree/commitChanges';
export type { CommitChangesOptions } from './worktree/commitChanges';
export { basicAuthHeaders } from './remote/GitHttpRemote';
export type { GitHttpRemote } from './remote/GitHttpRemote';
export { listRemoteBranches } from './remote/listRemoteBranches';
export { fetchBranch } from './remote/fetchBranch';
export { GitPushRefusedError, pushBranch } from './remote/pushBranch';
export { MAX_HAVES, packObjects, reachableObjects } from './packs/packObjects';
export type { PackObjectsRequest } from './packs/packObjects';
export {
  AGENT,
  advertiseRefs,
  errorPacket,
  parseUploadPackRequest,
  pktLine,
  uploadPackResponse,
} from './protocol/gitProtocol';
export type { UploadPackRequest } from './protocol/gitProtocol';
