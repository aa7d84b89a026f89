import {
  AuthService,
  BackstageCredentials,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { OwnershipService, groupRefOf } from '@paved/plugin-ownership-node';
import {
  RepositoryPublisher,
  localForgeFallbackAllowed,
  repositoryTargetOf,
} from '@paved/plugin-publish-node';

/** One field a form check refuses, and why. */
export interface FormProblem {
  field: string;
  /** `<field>: <what is wrong>; <what was expected>` */
  message: string;
  /** True when the caller was refused (permission), false for bad input. */
  refused: boolean;
}

/** What the checks read: the catalogue, the caller's teams, the publishers. */
export interface FormCheckDeps {
  catalog: CatalogService;
  auth: AuthService;
  ownership: OwnershipService;
  publishers: RepositoryPublisher[];
  config: RootConfigService;
}

/** The caller and where a check logs. */
export interface FormCheckCall {
  credentials: BackstageCredentials;
  logger: LoggerService;
}

const problem = (field: string, message: string, refused = false) => ({
  field,
  message: `${field}: ${message}`,
  refused,
});

/** The catalogue entity, read as the backend so that one the caller may not see still counts. */
async function entityOf(deps: FormCheckDeps, ref: string) {
  return deps.catalog.getEntityByRef(ref, {
    credentials: await deps.auth.getOwnServiceCredentials(),
  });
}

/** A name the catalogue already holds for the kind the template creates. */
export async function nameProblem(
  deps: FormCheckDeps,
  name: string,
  kind: string,
): Promise<FormProblem | undefined> {
  const ref = stringifyEntityRef({ kind, namespace: 'default', name });
  if (!(await entityOf(deps, ref))) return undefined;
  return problem(
    'name',
    `"${name}" is taken: the catalogue already holds ${ref.toLocaleLowerCase(
      'en-US',
    )}; expected a name no ${kind} has yet`,
  );
}

/** An owner that is not a catalogue group, or a group the caller is not in. */
export async function ownerProblem(
  deps: FormCheckDeps,
  call: FormCheckCall,
  owner: string,
): Promise<FormProblem | undefined> {
  let group: string;
  try {
    group = await deps.ownership.resolveOwnerGroup(owner, 'owner');
  } catch (error: any) {
    if (error?.name !== 'InputError') throw error;
    const why = String(error.message).replace(/^owner:?\s*/, '');
    return problem('owner', `${why}; expected a catalogue group you belong to`);
  }
  const may = await deps.ownership.mayChange({
    credentials: call.credentials,
    ownerRef: group,
    target: `what ${group} owns`,
    action: 'create',
  });
  if (may) return undefined;
  return problem(
    'owner',
    `you do not belong to ${group}; expected a group you are a member of, since it will own what this template creates`,
    true,
  );
}

/** The owner recorded on a component entity: its ownedBy relation, else spec.owner. */
function recordedOwnerOf(entity: {
  spec?: Record<string, any>;
  relations?: { type: string; targetRef: string }[];
}): string | undefined {
  const related = entity.relations?.find(r => r.type === 'ownedBy');
  if (related) return related.targetRef;
  const owner = entity.spec?.owner;
  return typeof owner === 'string' && owner ? groupRefOf(owner) : undefined;
}

/** A component that does not exist, or that none of the caller's teams own. */
export async function componentProblem(
  deps: FormCheckDeps,
  call: FormCheckCall,
  component: string,
): Promise<FormProblem | undefined> {
  const expected = 'expected a component of the catalogue that your team owns';
  let ref: string;
  try {
    ref = stringifyEntityRef(
      parseEntityRef(component.trim(), {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return problem('component', `"${component}" is no entity ref; ${expected}`);
  }
  if (!ref.startsWith('component:')) {
    return problem('component', `${ref} is not a component; ${expected}`);
  }
  const entity = await entityOf(deps, ref);
  if (!entity) {
    return problem('component', `the catalogue holds no ${ref}; ${expected}`);
  }
  const owner = recordedOwnerOf(entity);
  if (!owner) {
    return problem('component', `${ref} records no owner; ${expected}`);
  }
  const may = await deps.ownership.mayChange({
    credentials: call.credentials,
    ownerRef: owner,
    target: `component ${ref}`,
    action: 'change',
  });
  if (may) return undefined;
  return problem(
    'component',
    `${ref} is owned by ${owner}, which is not one of your teams; ${expected}`,
    true,
  );
}

/** The publisher paved:publish would pick for a host (publisherFor's rule). */
function publisherOf(deps: FormCheckDeps, host: string) {
  return (
    deps.publishers.find(p => p.match(host) === 'serves') ??
    (localForgeFallbackAllowed(deps.config)
      ? deps.publishers.find(p => p.match(host) === 'fallback')
      : undefined)
  );
}

/**
 * A repoUrl that does not parse, or names a repository that already exists
 * where paved:publish would put it. An empty repository without content
 * passes: paved:publish adopts what a crashed run left, after its own
 * ownership check.
 */
export async function repoUrlProblem(
  deps: FormCheckDeps,
  call: FormCheckCall,
  repoUrl: string,
): Promise<FormProblem | undefined> {
  let owner: string;
  let name: string;
  let host: string;
  try {
    ({ host, owner, name } = repositoryTargetOf(repoUrl));
  } catch (error: any) {
    return { field: 'repoUrl', message: String(error.message), refused: false };
  }
  const publisher = publisherOf(deps, host);
  if (!publisher) {
    return problem(
      'repoUrl',
      `no publisher serves the host "${host}"; expected a host with credentials under integrations.github`,
    );
  }
  try {
    ({ owner, name } = publisher.canonicalRef({ host, owner, name }));
  } catch (error: any) {
    return { field: 'repoUrl', message: String(error.message), refused: false };
  }
  const recorded = await publisher.recordedOwner(
    { host, owner, name },
    { logger: call.logger },
  );
  if (!recorded.exists || recorded.empty === true) return undefined;
  return problem(
    'repoUrl',
    `the repository ${owner}/${name} already exists on ${publisher.describe(
      host,
    )}; expected the location of a repository that does not exist yet`,
  );
}
