import {
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
import { Request } from 'express';
import { z } from 'zod';

/** The services the forge's router is built with. */
export interface RouteServices {
  forge: LocalForge;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  logger: LoggerService;
}

/** What every route group of the forge's router works with. */
export interface RouteContext extends RouteServices {
  /** Lets the request read, or throws: a token is needed unless anonymousRead. */
  checkRead(req: Request): Promise<void>;
  /** The repository, or a NotFoundError naming it. */
  existing(repo: ForgeRepositoryRef): Promise<ForgeRepository>;
}

/** The shared part of {@link RouteContext}, from the router's options. */
export function createRouteContext(
  options: RouteServices & { anonymousRead: boolean },
): RouteContext {
  const { forge, httpAuth, anonymousRead } = options;
  return {
    ...options,
    async checkRead(req) {
      if (!anonymousRead) {
        await httpAuth.credentials(req, { allow: ['user', 'service'] });
      }
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
