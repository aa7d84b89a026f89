import {
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError, NotModifiedError } from '@backstage/errors';
import { minimatch } from 'minimatch';
import { Readable } from 'node:stream';
import { ForgeUrlParts } from './ForgeUrls';
import { LocalForge } from './LocalForge';

/**
 * The part of backend-defaults' ReadTreeResponseFactory the reader uses
 * (declared here so this package needs no backend-defaults).
 *
 * @public
 */
export interface ForgeReadTreeResponseFactory {
  fromReadableArray(
    options: Array<{ data: Readable; path: string; lastModifiedAt?: Date }>,
  ): Promise<UrlReaderServiceReadTreeResponse>;
}

const GLOB = /[*?[\]{}]/;

/**
 * Reads the forge's tree, blob and raw URLs straight from the repositories
 * on disk, for every plugin's UrlReader (the catalogue's locations, the
 * scaffolder's fetch actions, TechDocs). No HTTP round trip, so it needs no
 * `backend.reading.allow` entry, no token, and works when the backend cannot
 * reach its own public URL. ETags are git object ids, so a refresh of an
 * unchanged location is a NotModifiedError.
 *
 * @public
 */
export class ForgeUrlReader implements UrlReaderService {
  /**
   * A ReaderFactory (backend-defaults' `urlReaderFactoriesServiceRef`) that
   * claims the URLs below the forge's base URL.
   */
  static factory(forge: LocalForge) {
    return (options: { treeResponseFactory: ForgeReadTreeResponseFactory }) => [
      {
        reader: new ForgeUrlReader({
          forge,
          treeResponseFactory: options.treeResponseFactory,
        }),
        predicate: (url: URL) => forge.urls.owns(url),
      },
    ];
  }

  readonly #forge: LocalForge;
  readonly #treeResponseFactory: ForgeReadTreeResponseFactory;

  constructor(options: {
    forge: LocalForge;
    treeResponseFactory: ForgeReadTreeResponseFactory;
  }) {
    this.#forge = options.forge;
    this.#treeResponseFactory = options.treeResponseFactory;
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const parts = this.parse(url);
    if (parts.view !== 'blob' && parts.view !== 'raw') {
      throw new InputError(
        `${url} is not a file URL of the local forge; expected .../blob/<ref>/<path> or .../raw/<ref>/<path>`,
      );
    }
    const resolved = await this.#forge.resolvePath(parts, parts.refAndPath);
    const file = await this.#forge.readFile(
      parts,
      resolved.commitSha,
      resolved.path,
    );
    if (options?.etag && options.etag === file.oid) {
      throw new NotModifiedError();
    }
    if (
      options?.lastModifiedAfter &&
      file.lastModifiedAt <= options.lastModifiedAfter
    ) {
      throw new NotModifiedError();
    }
    return {
      buffer: async () => file.content,
      stream: () => Readable.from([file.content]),
      etag: file.oid,
      lastModifiedAt: file.lastModifiedAt,
    };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const parts = this.parse(url);
    const resolved = await this.#forge.resolvePath(parts, parts.refAndPath);
    const listing = await this.#forge.listFiles(
      parts,
      resolved.commitSha,
      resolved.path,
    );
    if (options?.etag && options.etag === listing.oid) {
      throw new NotModifiedError();
    }
    const files = [];
    for (const file of listing.files) {
      const content = await this.#forge.readBlob(parts, file.oid);
      if (
        options?.filter &&
        !options.filter(file.path, { size: content.length })
      ) {
        continue;
      }
      files.push({
        path: file.path,
        data: Readable.from([content]),
        lastModifiedAt: listing.lastModifiedAt,
      });
    }
    const response = await this.#treeResponseFactory.fromReadableArray(files);
    return Object.assign(response, { etag: listing.oid });
  }

  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    const parts = this.parse(url);
    if (parts.view !== 'blob' && parts.view !== 'raw') {
      throw new InputError(
        `${url} is not a file URL of the local forge; expected .../blob/<ref>/<pattern>`,
      );
    }
    const resolved = await this.#forge.resolvePath(parts, parts.refAndPath);
    if (options?.etag && options.etag === resolved.commitSha) {
      throw new NotModifiedError();
    }
    const segments = resolved.path.split('/');
    const firstGlob = segments.findIndex(s => GLOB.test(s));
    let matches: Array<{ path: string; oid: string }>;
    if (firstGlob === -1) {
      try {
        const file = await this.#forge.readFile(
          parts,
          resolved.commitSha,
          resolved.path,
        );
        matches = [{ path: file.path, oid: file.oid }];
      } catch (error) {
        if ((error as Error).name !== 'NotFoundError') throw error;
        matches = [];
      }
    } else {
      const base = segments.slice(0, firstGlob).join('/');
      let files: Array<{ path: string; oid: string }> = [];
      try {
        ({ files } = await this.#forge.listFiles(
          parts,
          resolved.commitSha,
          base,
        ));
      } catch (error) {
        if ((error as Error).name !== 'NotFoundError') throw error;
      }
      matches = files
        .map(f => ({ ...f, path: base ? `${base}/${f.path}` : f.path }))
        .filter(f => minimatch(f.path, resolved.path));
    }
    return {
      etag: resolved.commitSha,
      files: matches.map(match => ({
        url: this.#forge.urls.view(
          parts,
          parts.view as 'blob',
          resolved.ref,
          match.path,
        ),
        content: () => this.#forge.readBlob(parts, match.oid),
      })),
    };
  }

  toString() {
    return `forge{base=${this.#forge.urls.baseUrl}}`;
  }

  private parse(url: string): ForgeUrlParts {
    const parts = this.#forge.urls.parse(url);
    if (!parts) {
      throw new NotFoundError(`${url} is not a URL of the local forge`);
    }
    return parts;
  }
}
