import { ForgeRepositoryRef } from './names';

/**
 * How a forge URL shows a repository: its page, a folder (`tree`), a file
 * page (`blob`) or a file's bytes (`raw`), as on GitHub.
 *
 * @public
 */
export type ForgeUrlView = 'repository' | 'tree' | 'blob' | 'raw';

/**
 * A forge URL taken apart. `refAndPath` is what follows the view, decoded:
 * a branch, tag or commit followed by a path, split once the repository is
 * known (branch names may contain slashes).
 *
 * @public
 */
export interface ForgeUrlParts extends ForgeRepositoryRef {
  view: ForgeUrlView;
  refAndPath: string;
}

const VIEWS = new Set(['tree', 'blob', 'raw']);

const encodePath = (value: string) =>
  value
    .split('/')
    .filter(Boolean)
    .map(part => encodeURIComponent(part))
    .join('/');

/**
 * The forge's public URLs: `<base>/<owner>/<name>` for a repository page,
 * `<base>/<owner>/<name>.git` to clone, and `/tree/`, `/blob/` and `/raw/`
 * below the repository page for its content. `<base>` is the forge
 * backend's external URL, `<backend.baseUrl>/api/forge`.
 *
 * @public
 */
export class ForgeUrls {
  readonly baseUrl: string;
  readonly #base: URL;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#base = new URL(this.baseUrl);
  }

  /** The forge under a backend's base URL (the plugin is mounted at /api/forge). */
  static forBackend(backendBaseUrl: string): ForgeUrls {
    return new ForgeUrls(`${backendBaseUrl.replace(/\/+$/, '')}/api/forge`);
  }

  repository(repo: ForgeRepositoryRef): string {
    return `${this.baseUrl}/${encodeURIComponent(
      repo.owner,
    )}/${encodeURIComponent(repo.name)}`;
  }

  clone(repo: ForgeRepositoryRef): string {
    return `${this.repository(repo)}.git`;
  }

  view(
    repo: ForgeRepositoryRef,
    view: Exclude<ForgeUrlView, 'repository'>,
    ref: string,
    filePath = '',
  ): string {
    const rest = [encodePath(ref), encodePath(filePath)]
      .filter(Boolean)
      .join('/');
    return `${this.repository(repo)}/${view}/${rest}`;
  }

  /** Whether a URL is below the forge's base URL. */
  owns(url: URL | string): boolean {
    const parsed = typeof url === 'string' ? safeUrl(url) : url;
    if (!parsed) return false;
    const basePath = this.#base.pathname.replace(/\/+$/, '');
    return (
      parsed.protocol === this.#base.protocol &&
      parsed.host.toLowerCase() === this.#base.host.toLowerCase() &&
      parsed.pathname.startsWith(`${basePath}/`)
    );
  }

  /**
   * Takes a repository, tree, blob or raw URL apart; undefined for any other
   * URL (including the clone URLs of git's protocol).
   */
  parse(url: URL | string): ForgeUrlParts | undefined {
    const parsed = typeof url === 'string' ? safeUrl(url) : url;
    if (!parsed || !this.owns(parsed)) return undefined;
    const basePath = this.#base.pathname.replace(/\/+$/, '');
    let segments: string[];
    try {
      segments = parsed.pathname
        .slice(basePath.length + 1)
        .split('/')
        .map(s => decodeURIComponent(s));
    } catch {
      return undefined;
    }
    const [owner, name, view, ...rest] = segments;
    if (!owner || !name) return undefined;
    if (view === undefined || (view === '' && rest.length === 0)) {
      return { owner, name, view: 'repository', refAndPath: '' };
    }
    if (!VIEWS.has(view)) return undefined;
    return {
      owner,
      name,
      view: view as ForgeUrlView,
      refAndPath: rest.filter(Boolean).join('/'),
    };
  }
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
