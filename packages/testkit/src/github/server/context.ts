/** What every request handler of the test server shares. */
import { GitHubTestDriver } from '../GitHubTestDriver';
import { Urls } from '../serialize';

/** The server's state and where it listens. @internal */
export interface ServerContext {
  driver: GitHubTestDriver;
  /** Where the bare repositories live, one folder per owner. */
  reposDir: string;
  /** Set once the server listens, before it takes a request. */
  urls: Urls;
}
