/** Pages of a list, with GitHub's `link` header. */
import { RestReply, RestRequest } from './route';

/** The `per_page` asked for: 30 by default, at most `maxPerPage`. */
export function perPageOf(req: RestRequest, maxPerPage = 100): number {
  return Math.min(Number(req.query.get('per_page') ?? 30) || 30, maxPerPage);
}

/** The `page` asked for of `items`, and the `link` header to the next and last. */
export function paginate<T>(req: RestRequest, items: T[], maxPerPage = 100) {
  const perPage = perPageOf(req, maxPerPage);
  const page = Math.max(Number(req.query.get('page') ?? 1) || 1, 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = {};
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  if (page < last) {
    const link = (p: number) => {
      const q = new URLSearchParams(req.query);
      q.set('per_page', String(perPage));
      q.set('page', String(p));
      return `<${req.urls.api}${req.path}?${q}>`;
    };
    headers.link = `${link(page + 1)}; rel="next", ${link(last)}; rel="last"`;
  }
  return { slice, headers };
}

/**
 * A page of a list as the answer: the items themselves, or under `key`
 * with their `total_count` as the Actions and environment lists answer.
 */
export function listReply<T>(
  req: RestRequest,
  items: T[],
  options: { key?: string; maxPerPage?: number } = {},
): RestReply {
  const { slice, headers } = paginate(req, items, options.maxPerPage);
  return {
    status: 200,
    body: options.key
      ? { total_count: items.length, [options.key]: slice }
      : slice,
    headers,
  };
}
