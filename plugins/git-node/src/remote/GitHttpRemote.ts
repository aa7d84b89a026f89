/**
 * A repository served over git's smart HTTP protocol, and the headers every
 * request to it carries (authentication among them).
 *
 * @public
 */
export interface GitHttpRemote {
  url: string;
  headers?: Record<string, string>;
}

/**
 * An `Authorization` header for HTTP Basic authentication, sent up front so
 * git does not first ask without credentials.
 *
 * @public
 */
export function basicAuthHeaders(
  username: string,
  password: string,
): Record<string, string> {
  return {
    Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString(
      'base64',
    )}`,
  };
}
