import {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ForgeRepository,
  ForgeRepositoryRef,
  LocalForge,
  normalizeForgeRepositoryRef,
} from '@paved/plugin-forge-node';
import { OwnershipService } from '@paved/plugin-ownership-node';
import { Request } from 'express';
import { z } from 'zod';
import { mayRead, privateRepositoryError } from './readAccess';

/** The services the forge's router is built with. */
export interface RouteServices {
  forge: LocalForge;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  logger: LoggerService;
  /** Who may read a private repository and delete one: its recorded owner's members and admins. */
  ownership: OwnershipService;
  auditor: AuditorService;
  /** The forge's own service credentials, for what it does after its own checks. */
  auth: AuthService;
}

/** How a read may authenticate. */
export interface ReadOptions {
  /**
   * Whether the user cookie counts (`/.backstage/auth/v1/cookie`, a limited
   * user token): a person's browser opening a page or a raw file sends no
   * Backstage token. The JSON API and DELETE take tokens only.
   */
  cookie?: boolean;
}

/** The reads a browser makes (pages, raw files, git): the user cookie counts. */
export const BROWSER: ReadOptions = { cookie: true };

/** What every route group of the forge's router works with. */
export interface RouteContext extends RouteServices {
  /**
   * Lets the request read, or throws: a token is needed unless
   * anonymousRead, and a private repository (when `repo` names one) is
   * read only by its owners, admins and services (401 without a token,
   * else 403 naming the owner).
   */
  checkRead(
    req: Request,
    repo?: ForgeRepositoryRef,
    options?: ReadOptions,
  ): Promise<void>;
  /** The repositories of a list the request may read. */
  readable(
    req: Request,
    repos: ForgeRepository[],
    options?: ReadOptions,
  ): Promise<ForgeRepository[]>;
  /** The repository, or a NotFoundError naming it. */
  existing(repo: ForgeRepositoryRef): Promise<ForgeRepository>;
}

/** The shared part of {@link RouteContext}, from the router's options. */
export function createRouteContext(
  options: RouteServices & { anonymousRead: boolean },
): RouteContext {
  const { forge, httpAuth, anonymousRead, ownership } = options;
  return {
    ...options,
    async checkRead(req, repo, readOptions) {
      const allowLimitedAccess = readOptions?.cookie ?? false;
      if (!anonymousRead) {
        await httpAuth.credentials(req, {
          allow: ['user', 'service'],
          allowLimitedAccess,
        });
      }
      const found = repo && (await forge.getRepository(repo));
      if (found?.visibility !== 'private') return;
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
        allowLimitedAccess,
      });
      if (!(await mayRead(ownership, credentials, found))) {
        const caller = await ownership.caller(credentials);
        throw privateRepositoryError(
          caller.type === 'user' ? caller.userEntityRef : 'The caller',
          found,
        );
      }
    },
    async readable(req, repos, readOptions) {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service', 'none'],
        allowLimitedAccess: readOptions?.cookie ?? false,
      });
      const allowed = await Promise.all(
        repos.map(r => mayRead(ownership, credentials, r)),
      );
      return repos.filter((_, i) => allowed[i]);
    },
    async existing(repo) {
      const found = await forge.getRepository(repo);
      if (!found) {
        throw new NotFoundError(
          `Repository ${repo.owner}/${repo.name} does not exist on the local forge`,
        );
      }
      return found;
    },
  };
}

/** The request's query, checked; an InputError saying what is wrong. */
export function parseQuery<T extends z.ZodTypeAny>(
  schema: T,
  req: Request,
): z.infer<T> {
  const result = schema.safeParse(req.query);
  if (!result.success) {
    throw new InputError(result.error.issues.map(i => i.message).join('; '));
  }
  return result.data;
}

/** What the route's `*` matched (express decodes it). */
export function wildcard(req: Request): string {
  return (req.params as Record<string, string | undefined>)[0] ?? '';
}

/** The repository named by `:owner/:repo` (a trailing `.git` is the clone URL's). */
export function repoParam(req: Request): ForgeRepositoryRef {
  return normalizeForgeRepositoryRef({
    owner: req.params.owner,
    name: req.params.repo.replace(/\.git$/, ''),
  });
}
