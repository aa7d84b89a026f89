/**
 * What a REST route is: its method and path template, the scope a classic
 * token needs, the permission an app installation needs, and its handler,
 * which reads and changes the driver's state and answers with GitHub's shapes
 * and status codes.
 */
import { GitHubTestDriver } from '../GitHubTestDriver';
import { Urls } from '../serialize';
import { OrgState, RepoState } from '../state';
import { Identity } from './identity';

/** What a handler gets. @internal */
export interface RestRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  identity: Identity;
  urls: Urls;
  driver: GitHubTestDriver;
  repo?: RepoState;
  org?: OrgState;
}

/** What a handler answers. @internal */
export interface RestReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One endpoint. @internal */
export interface Route {
  method: string;
  path: string;
  docs: string;
  /** Classic token scopes accepted (any of them); none needed when empty. */
  scopes: string[];
  /**
   * What a classic token without those scopes gets, when not GitHub's usual
   * 404 Not Found; and the `x-accepted-oauth-scopes` GitHub sends for the
   * endpoint, when it does not name its scopes there.
   */
  scopeDenial?: { status: 403; message: string; acceptedHeader: string };
  /** `permission=level` an installation needs. */
  permission?: string;
  /** Who may call: tokens and installations (default), or the app's JWT. */
  auth?: 'token' | 'jwt';
  /** The route acts on `{owner}/{repo}`: it must exist and be accessible. */
  repo?: boolean;
  handler(req: RestRequest): Promise<RestReply> | RestReply;
}

/** A request on `{owner}/{repo}`: the server found the repository. @internal */
export interface RepoRequest extends RestRequest {
  repo: RepoState;
}

/** A route on `{owner}/{repo}`, as `repoRoute` takes it. @internal */
export type RepoRouteSpec = Omit<Route, 'scopes' | 'repo' | 'handler'> & {
  /** `repo` unless given. */
  scopes?: string[];
  handler(req: RepoRequest): Promise<RestReply> | RestReply;
};

/**
 * A route on `{owner}/{repo}`: the repository must exist and be accessible
 * (the server answers 404 before the handler otherwise), and a classic token
 * needs the `repo` scope unless the route names others.
 *
 * @internal
 */
export function repoRoute(spec: RepoRouteSpec): Route {
  return {
    scopes: ['repo'],
    ...spec,
    repo: true,
    // The server sets `repo` on every request to a route marked `repo`.
    handler: req => spec.handler(req as RepoRequest),
  };
}
