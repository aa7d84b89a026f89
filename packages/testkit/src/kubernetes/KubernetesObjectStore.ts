/**
 * The in-memory storage behind the Kubernetes test server: objects with
 * resourceVersion, generation and managedFields, and the write semantics of
 * the apiserver (create, server-side apply, merge patch, update, delete,
 * namespace lifecycle).
 */
import { randomUUID } from 'node:crypto';
import {
  FieldSet,
  fieldSetOf,
  jsonEqual,
  isObject,
  mergeApplied,
  mergePatch,
  pathToString,
  removePath,
  toFieldsV1,
  valueAt,
} from './fieldManagement';
import {
  KubernetesResourceType,
  RESOURCE_TYPES,
  groupVersionOf,
} from './resourceTypes';
import { StatusBody, StatusCause, statusBodies } from './statusBodies';
import { validateName } from './validateName';

/** One field manager's entry in `metadata.managedFields`. */
export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fields: FieldSet;
}

/** A stored object and who manages which of its fields. */
export interface StoredEntry {
  type: KubernetesResourceType;
  obj: Record<string, any>;
  managers: ManagerEntry[];
}

/** What a write answers: the HTTP code and the object. */
export interface WriteResult {
  code: number;
  body: Record<string, any>;
}

/** Thrown by the store with the Status body the server answers. */
export class StatusError extends Error {
  constructor(readonly status: StatusBody) {
    super(status.message ?? status.reason);
  }
}

const OPTIMISTIC_LOCK =
  'the object has been modified; please apply your changes to the latest version and try again';

/** RFC 3339 with second precision, like metav1.Time. */
export function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function entryKey(
  type: KubernetesResourceType,
  namespace: string | undefined,
  name: string,
) {
  return `${type.group}|${type.resource}|${namespace ?? ''}|${name}`;
}

function specOf(obj: Record<string, any>) {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

/** The store; one per test server. */
export class KubernetesObjectStore {
  private readonly entries = new Map<string, StoredEntry>();
  private revision = 1;
  readonly logs = new Map<string, string[]>();
  /** Called after a write changed an object, e.g. to drive a rollout. */
  onChange?: (entry: StoredEntry) => void;

  typeFor(
    group: string,
    version: string,
    resource: string,
  ): KubernetesResourceType | undefined {
    return RESOURCE_TYPES.find(
      t =>
        t.group === group && t.version === version && t.resource === resource,
    );
  }

  typeForKind(
    apiVersion: string,
    kind: string,
  ): KubernetesResourceType | undefined {
    return RESOURCE_TYPES.find(
      t => groupVersionOf(t) === apiVersion && t.kind === kind,
    );
  }

  currentRevision(): string {
    return String(this.revision);
  }

  get(
    type: KubernetesResourceType,
    namespace: string | undefined,
    name: string,
  ): StoredEntry | undefined {
    return this.entries.get(
      entryKey(type, type.namespaced ? namespace : undefined, name),
    );
  }

  /** The stored object, or the apiserver's 404 for it. */
  private existing(
    type: KubernetesResourceType,
    namespace: string | undefined,
    name: string,
  ): StoredEntry {
    const live = this.get(type, namespace, name);
    if (!live) {
      throw new StatusError(statusBodies.notFound(type, name));
    }
    return live;
  }

  all(): StoredEntry[] {
    return [...this.entries.values()];
  }

  /** The object as the server renders it, managedFields included. */
  render(entry: StoredEntry, withTypeMeta = true): Record<string, any> {
    const { apiVersion, kind, metadata, ...rest } = structuredClone(entry.obj);
    const managedFields = entry.managers.map(m => ({
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      time: m.time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(m.fields),
    }));
    return {
      ...(withTypeMeta && { apiVersion, kind }),
      metadata: {
        ...metadata,
        ...(managedFields.length > 0 && { managedFields }),
      },
      ...rest,
    };
  }

  private requireNamespaceForCreate(
    type: KubernetesResourceType,
    namespace: string | undefined,
    name: string,
  ) {
    if (!type.namespaced) return;
    const nsType = this.typeFor('', 'v1', 'namespaces')!;
    const ns = this.get(nsType, undefined, namespace ?? '');
    if (!ns) {
      throw new StatusError(statusBodies.notFound(nsType, namespace ?? ''));
    }
    if (ns.obj.status?.phase === 'Terminating') {
      throw new StatusError(
        statusBodies.forbidden(
          type,
          name,
          `unable to create new content in namespace ${namespace} because it is being terminated`,
          [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${namespace} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        ),
      );
    }
  }

  private validateForCreate(
    type: KubernetesResourceType,
    name: string | undefined,
  ) {
    if (!name) {
      throw new StatusError(
        statusBodies.invalid(type, '', [
          {
            field: 'metadata.name',
            reason: 'FieldValueRequired',
            detail: 'Required value: name or generateName is required',
          },
        ]),
      );
    }
    const problems = validateName(name, type.nameValidation);
    if (problems.length > 0) {
      throw new StatusError(
        statusBodies.invalid(
          type,
          name,
          problems.map(p => ({
            field: 'metadata.name',
            reason: 'FieldValueInvalid',
            detail: `Invalid value: ${JSON.stringify(name)}: ${p}`,
          })),
        ),
      );
    }
  }

  private checkBody(
    type: KubernetesResourceType,
    body: unknown,
    namespace: string | undefined,
    name: string | undefined,
  ): Record<string, any> {
    if (!isObject(body)) {
      throw new StatusError(
        statusBodies.badRequest(
          'the body of the request was not a JSON or YAML object',
        ),
      );
    }
    const gv = groupVersionOf(type);
    if (body.apiVersion !== undefined && body.apiVersion !== gv) {
      throw new StatusError(
        statusBodies.badRequest(
          `the API version in the data (${body.apiVersion}) does not match the expected API version (${gv})`,
        ),
      );
    }
    if (body.kind !== undefined && body.kind !== type.kind) {
      throw new StatusError(
        statusBodies.badRequest(
          `the kind in the data (${body.kind}) does not match the expected kind (${type.kind})`,
        ),
      );
    }
    const meta = isObject(body.metadata) ? body.metadata : {};
    if (name !== undefined && meta.name !== undefined && meta.name !== name) {
      throw new StatusError(
        statusBodies.badRequest(
          `the name of the object (${meta.name}) does not match the name on the URL (${name})`,
        ),
      );
    }
    if (
      type.namespaced &&
      namespace !== undefined &&
      meta.namespace !== undefined &&
      meta.namespace !== namespace
    ) {
      throw new StatusError(
        statusBodies.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        ),
      );
    }
    return body;
  }

  private bump(entry: StoredEntry, specChanged: boolean) {
    this.revision += 1;
    entry.obj.metadata.resourceVersion = String(this.revision);
    if (specChanged && entry.obj.metadata.generation !== undefined) {
      entry.obj.metadata.generation += 1;
    }
  }

  /** Stores a new object as created by the given manager. */
  private insert(
    type: KubernetesResourceType,
    namespace: string | undefined,
    body: Record<string, any>,
    manager: ManagerEntry | undefined,
    dryRun: boolean,
  ): StoredEntry {
    const name = body.metadata?.name;
    this.validateForCreate(type, name);
    this.requireNamespaceForCreate(type, namespace, name);
    if (this.get(type, namespace, name)) {
      throw new StatusError(statusBodies.alreadyExists(type, name));
    }
    const {
      apiVersion: _a,
      kind: _k,
      metadata,
      ...rest
    } = structuredClone(body);
    const obj: Record<string, any> = {
      apiVersion: groupVersionOf(type),
      kind: type.kind,
      metadata: {
        ...metadata,
        name,
        ...(type.namespaced && { namespace }),
        uid: randomUUID(),
        resourceVersion: String(this.revision + 1),
        ...('spec' in rest && { generation: 1 }),
        creationTimestamp: nowTimestamp(),
      },
      ...rest,
    };
    delete obj.metadata.managedFields;
    this.applyDefaults(type, obj);
    const entry: StoredEntry = {
      type,
      obj,
      managers: manager ? [manager] : [],
    };
    if (!dryRun) {
      this.revision += 1;
      this.entries.set(
        entryKey(type, type.namespaced ? namespace : undefined, name),
        entry,
      );
      this.onChange?.(entry);
    }
    return entry;
  }

  private applyDefaults(
    type: KubernetesResourceType,
    obj: Record<string, any>,
  ) {
    if (type.kind === 'Namespace') {
      obj.metadata.labels = {
        ...obj.metadata.labels,
        'kubernetes.io/metadata.name': obj.metadata.name,
      };
      obj.spec = { finalizers: ['kubernetes'], ...obj.spec };
      obj.status = { phase: 'Active' };
    }
    if (type.kind === 'Deployment' || type.kind === 'StatefulSet') {
      obj.spec = { replicas: 1, ...obj.spec };
      obj.status = obj.status ?? {};
    }
  }

  /** POST: create, answering 201. */
  create(
    type: KubernetesResourceType,
    namespace: string | undefined,
    rawBody: unknown,
    managerName: string,
    dryRun: boolean,
  ): WriteResult {
    const body = this.checkBody(type, rawBody, namespace, undefined);
    const manager: ManagerEntry = {
      manager: managerName,
      operation: 'Update',
      apiVersion: groupVersionOf(type),
      time: nowTimestamp(),
      fields: fieldSetOf(body),
    };
    const entry = this.insert(type, namespace, body, manager, dryRun);
    return { code: 201, body: this.render(entry) };
  }

  /** PATCH with application/apply-patch+yaml. */
  apply(
    type: KubernetesResourceType,
    namespace: string | undefined,
    name: string,
    rawBody: unknown,
    managerName: string,
    force: boolean,
    dryRun: boolean,
  ): WriteResult {
    const applied = this.checkBody(type, rawBody, namespace, name);
    if (applied.apiVersion === undefined || applied.kind === undefined) {
      throw new StatusError(
        statusBodies.badRequest(
          "error decoding YAML: Object 'Kind' is missing in the applied configuration",
        ),
      );
    }
    const fields = fieldSetOf(applied);
    const time = nowTimestamp();
    const live = this.get(type, namespace, name);
    if (!live) {
      const body = { ...applied, metadata: { ...applied.metadata, name } };
      const manager: ManagerEntry = {
        manager: managerName,
        operation: 'Apply',
        apiVersion: groupVersionOf(type),
        time,
        fields,
      };
      const entry = this.insert(type, namespace, body, manager, dryRun);
      return { code: 201, body: this.render(entry) };
    }

    const conflicts: Array<{
      manager: ManagerEntry;
      path: string;
      key: string;
    }> = [];
    for (const [key, path] of fields) {
      for (const other of live.managers) {
        if (other.manager === managerName && other.operation === 'Apply')
          continue;
        if (
          other.fields.has(key) &&
          !jsonEqual(valueAt(live.obj, path), valueAt(applied, path))
        ) {
          conflicts.push({ manager: other, path: pathToString(path), key });
        }
      }
    }
    if (conflicts.length > 0 && !force) {
      throw new StatusError(
        statusBodies.applyConflict(
          conflictMessage(conflicts),
          conflicts.map(conflictCause),
        ),
      );
    }

    let obj = structuredClone(live.obj);
    const previous = live.managers.find(
      m => m.manager === managerName && m.operation === 'Apply',
    );
    const managers = live.managers
      .filter(m => m !== previous)
      .map(m => ({ ...m, fields: new Map(m.fields) }));
    if (force) {
      for (const c of conflicts) {
        managers
          .find(
            m =>
              m.manager === c.manager.manager &&
              m.operation === c.manager.operation,
          )
          ?.fields.delete(c.key);
      }
    }
    for (const [key, path] of previous?.fields ?? []) {
      if (!fields.has(key) && !managers.some(m => m.fields.has(key))) {
        removePath(obj, path);
      }
    }
    const { apiVersion: _a, kind: _k, status: _s, ...appliedContent } = applied;
    if (isObject(appliedContent.metadata)) {
      const {
        resourceVersion,
        uid: _u,
        creationTimestamp: _c,
        generation: _g,
        managedFields: _f,
        ...meta
      } = appliedContent.metadata;
      if (
        resourceVersion !== undefined &&
        resourceVersion !== live.obj.metadata.resourceVersion
      ) {
        throw new StatusError(
          statusBodies.conflict(type, name, OPTIMISTIC_LOCK),
        );
      }
      appliedContent.metadata = meta;
    }
    obj = mergeApplied(obj, appliedContent) as Record<string, any>;
    obj.metadata = {
      ...obj.metadata,
      name,
      ...(type.namespaced && { namespace }),
    };
    if (roleRefChanged(type, live.obj, obj)) {
      throw new StatusError(roleRefInvalid(type, name, obj.roleRef));
    }

    const unchangedFields =
      previous !== undefined && sameKeys(previous.fields, fields);
    const nextManagers = [
      ...managers.filter(m => m.fields.size > 0),
      {
        manager: managerName,
        operation: 'Apply' as const,
        apiVersion: groupVersionOf(type),
        time:
          unchangedFields && jsonEqual(obj, live.obj) ? previous!.time : time,
        fields,
      },
    ];
    if (jsonEqual(obj, live.obj) && unchangedFields && !force) {
      // A no-op apply leaves the object and its resourceVersion alone.
      return { code: 200, body: this.render(live) };
    }
    return this.commit(live, obj, nextManagers, dryRun);
  }

  private commit(
    live: StoredEntry,
    obj: Record<string, any>,
    managers: ManagerEntry[],
    dryRun: boolean,
  ): WriteResult {
    const specChanged = !jsonEqual(specOf(obj), specOf(live.obj));
    const changed = !jsonEqual(obj, live.obj);
    const next: StoredEntry = { type: live.type, obj, managers };
    if (dryRun) {
      return { code: 200, body: this.render(next) };
    }
    live.obj = obj;
    live.managers = managers;
    this.bump(live, specChanged);
    if (changed) this.onChange?.(live);
    return { code: 200, body: this.render(live) };
  }

  /** Ownership after an Update operation: changed fields move to the updater. */
  private updateManagers(
    live: StoredEntry,
    obj: Record<string, any>,
    managerName: string,
  ): ManagerEntry[] {
    const before = fieldSetOf(live.obj);
    const after = fieldSetOf(obj);
    const changed = new Map(
      [...after].filter(
        ([key, path]) =>
          !before.has(key) ||
          !jsonEqual(valueAt(live.obj, path), valueAt(obj, path)),
      ),
    );
    const managers = live.managers.map(m => {
      const fields = new Map(
        [...m.fields].filter(([key]) => after.has(key) && !changed.has(key)),
      );
      return { ...m, fields };
    });
    if (changed.size > 0) {
      const existing = managers.find(
        m => m.manager === managerName && m.operation === 'Update',
      );
      if (existing) {
        for (const [k, p] of changed) existing.fields.set(k, p);
        existing.time = nowTimestamp();
      } else {
        managers.push({
          manager: managerName,
          operation: 'Update',
          apiVersion: groupVersionOf(live.type),
          time: nowTimestamp(),
          fields: changed,
        });
      }
    }
    return managers.filter(m => m.fields.size > 0);
  }

  private checkResourceVersion(live: StoredEntry, body: Record<string, any>) {
    const rv = body.metadata?.resourceVersion;
    if (rv !== undefined && rv !== live.obj.metadata.resourceVersion) {
      throw new StatusError(
        statusBodies.conflict(
          live.type,
          live.obj.metadata.name,
          OPTIMISTIC_LOCK,
        ),
      );
    }
  }

  /** Stores an Update (PATCH or PUT) of `manager`: the roleRef stays, managed fields follow. */
  private commitUpdate(
    type: KubernetesResourceType,
    live: StoredEntry,
    obj: Record<string, any>,
    managerName: string,
    dryRun: boolean,
  ): WriteResult {
    if (roleRefChanged(type, live.obj, obj)) {
      throw new StatusError(
        roleRefInvalid(type, live.obj.metadata.name, obj.roleRef),
      );
    }
    return this.commit(
      live,
      obj,
      this.updateManagers(live, obj, managerName),
      dryRun,
    );
  }

  /** PATCH with a merge or strategic merge patch. */
  patch(
    type: KubernetesResourceType,
    namespace: string | undefined,
    name: string,
    rawPatch: unknown,
    strategic: boolean,
    managerName: string,
    dryRun: boolean,
  ): WriteResult {
    const live = this.existing(type, namespace, name);
    const patchBody = this.checkBody(type, rawPatch, namespace, name);
    this.checkResourceVersion(live, patchBody);
    const obj = mergePatch(
      structuredClone(live.obj),
      patchBody,
      strategic,
    ) as Record<string, any>;
    obj.metadata.resourceVersion = live.obj.metadata.resourceVersion;
    return this.commitUpdate(type, live, obj, managerName, dryRun);
  }

  /** PUT: replace, with optimistic locking when the body names a resourceVersion. */
  replace(
    type: KubernetesResourceType,
    namespace: string | undefined,
    name: string,
    rawBody: unknown,
    managerName: string,
    dryRun: boolean,
  ): WriteResult {
    const live = this.existing(type, namespace, name);
    const body = this.checkBody(type, rawBody, namespace, name);
    this.checkResourceVersion(live, body);
    const { metadata, ...rest } = structuredClone(body);
    const obj: Record<string, any> = {
      ...rest,
      apiVersion: live.obj.apiVersion,
      kind: live.obj.kind,
      metadata: {
        ...metadata,
        name,
        ...(type.namespaced && { namespace }),
        uid: live.obj.metadata.uid,
        resourceVersion: live.obj.metadata.resourceVersion,
        creationTimestamp: live.obj.metadata.creationTimestamp,
        ...(live.obj.metadata.generation !== undefined && {
          generation: live.obj.metadata.generation,
        }),
      },
    };
    delete obj.metadata.managedFields;
    if (live.obj.status !== undefined) obj.status = live.obj.status;
    return this.commitUpdate(type, live, obj, managerName, dryRun);
  }

  /** DELETE; a namespace goes Terminating first. */
  delete(
    type: KubernetesResourceType,
    namespace: string | undefined,
    name: string,
    dryRun: boolean,
  ): WriteResult {
    const live = this.existing(type, namespace, name);
    if (type.kind === 'Namespace') {
      if (live.obj.status?.phase === 'Terminating') {
        throw new StatusError(
          statusBodies.conflict(
            type,
            name,
            'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
          ),
        );
      }
      if (dryRun) return { code: 200, body: this.render(live) };
      live.obj.metadata.deletionTimestamp = nowTimestamp();
      live.obj.status = { ...live.obj.status, phase: 'Terminating' };
      this.bump(live, false);
      return { code: 200, body: this.render(live) };
    }
    if (!dryRun) {
      this.entries.delete(
        entryKey(type, type.namespaced ? namespace : undefined, name),
      );
      this.revision += 1;
    }
    return {
      code: 200,
      body: statusBodies.deleted(type, name, live.obj.metadata.uid),
    };
  }

  /** Removes a terminating namespace and everything in it. */
  purgeNamespace(name: string): void {
    for (const [key, entry] of this.entries) {
      if (
        entry.obj.metadata.namespace === name ||
        (entry.type.kind === 'Namespace' && entry.obj.metadata.name === name)
      ) {
        this.entries.delete(key);
      }
    }
    for (const key of this.logs.keys()) {
      if (key.startsWith(`${name}/`)) this.logs.delete(key);
    }
    this.revision += 1;
  }

  /** Stores an object directly, as a controller or a test fixture would. */
  put(
    type: KubernetesResourceType,
    obj: Record<string, any>,
    managerName: string,
  ): StoredEntry {
    const namespace = type.namespaced
      ? obj.metadata?.namespace ?? 'default'
      : undefined;
    const existing = this.get(type, namespace, obj.metadata.name);
    if (existing) {
      const next = mergePatch(
        structuredClone(existing.obj),
        obj,
        true,
      ) as Record<string, any>;
      this.commit(
        existing,
        next,
        this.updateManagers(existing, next, managerName),
        false,
      );
      return existing;
    }
    const manager: ManagerEntry = {
      manager: managerName,
      operation: 'Update',
      apiVersion: groupVersionOf(type),
      time: nowTimestamp(),
      fields: fieldSetOf(obj),
    };
    return this.insert(type, namespace, obj, manager, false);
  }

  /** Replaces an object's status, as its controller would (no managedFields change). */
  setStatus(entry: StoredEntry, status: Record<string, any>): void {
    entry.obj.status = status;
    this.revision += 1;
    entry.obj.metadata.resourceVersion = String(this.revision);
  }

  /** Removes an object directly. */
  remove(entry: StoredEntry): void {
    this.entries.delete(
      entryKey(
        entry.type,
        entry.obj.metadata.namespace,
        entry.obj.metadata.name,
      ),
    );
    this.revision += 1;
  }
}

function sameKeys(a: FieldSet, b: FieldSet): boolean {
  return a.size === b.size && [...a.keys()].every(k => b.has(k));
}

/**
 * The manager identifier the apiserver keys conflicts by
 * (managedfields BuildManagerIdentifier): no time, and no apiVersion for
 * appliers.
 */
function managerIdentifier(m: ManagerEntry): string {
  return JSON.stringify({
    manager: m.manager,
    operation: m.operation,
    ...(m.operation !== 'Apply' && { apiVersion: m.apiVersion }),
  });
}

/**
 * printManager of the apiserver's conflict errors. The identifier it prints
 * from carries no time, so a live server never prints the "at <time>" its
 * unit tests show: `"kubectl-edit" using apps/v1`.
 */
function printManager(m: ManagerEntry): string {
  if (m.operation === 'Update') {
    return `"${m.manager}" using ${m.apiVersion}`;
  }
  return `"${m.manager}"`;
}

function conflictCause(c: {
  manager: ManagerEntry;
  path: string;
}): StatusCause {
  return {
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: c.path,
  };
}

function conflictMessage(
  conflicts: Array<{ manager: ManagerEntry; path: string }>,
): string {
  if (conflicts.length === 1) {
    return `Apply failed with 1 conflict: conflict with ${printManager(
      conflicts[0].manager,
    )}: ${conflicts[0].path}`;
  }
  const byManager = new Map<
    string,
    { manager: ManagerEntry; paths: string[] }
  >();
  for (const c of conflicts) {
    const id = managerIdentifier(c.manager);
    const group = byManager.get(id) ?? { manager: c.manager, paths: [] };
    group.paths.push(c.path);
    byManager.set(id, group);
  }
  const lines: string[] = [];
  // By identifier string, as the apiserver's sort.Strings orders them.
  for (const id of [...byManager.keys()].sort()) {
    const group = byManager.get(id)!;
    lines.push(`conflicts with ${printManager(group.manager)}:`);
    // fieldpath.Set iterates in sorted order.
    for (const p of [...group.paths].sort()) lines.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

function roleRefChanged(
  type: KubernetesResourceType,
  before: Record<string, any>,
  after: Record<string, any>,
) {
  return (
    (type.kind === 'RoleBinding' || type.kind === 'ClusterRoleBinding') &&
    before.roleRef !== undefined &&
    !jsonEqual(before.roleRef, after.roleRef)
  );
}

function roleRefInvalid(
  type: KubernetesResourceType,
  name: string,
  roleRef: unknown,
): StatusBody {
  const ref = isObject(roleRef) ? roleRef : {};
  const rendered = `rbac.RoleRef{APIGroup:${JSON.stringify(
    ref.apiGroup ?? '',
  )}, Kind:${JSON.stringify(ref.kind ?? '')}, Name:${JSON.stringify(
    ref.name ?? '',
  )}}`;
  return statusBodies.invalid(type, name, [
    {
      field: 'roleRef',
      reason: 'FieldValueInvalid',
      detail: `Invalid value: ${rendered}: cannot change roleRef`,
    },
  ]);
}
