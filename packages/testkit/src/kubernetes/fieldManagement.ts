/**
 * Field ownership for server-side apply, modelled on
 * sigs.k8s.io/structured-merge-diff as the apiserver uses it.
 *
 * The test server has no OpenAPI schema, so it decides list types by shape:
 * a list whose items are all objects carrying `name` (or `containerPort`,
 * `port`, `mountPath`) is an associative list keyed by that field, like
 * containers, env, volumes and ports; any other list is atomic and owned as a
 * whole.
 */

/** One step of a field path: a map field, or the item of a keyed list. */
export type PathElement = { f: string } | { k: Record<string, unknown> };
/** A path from the object root to one owned field. */
export type FieldPath = PathElement[];
/** A set of owned fields keyed by their serialized path. */
export type FieldSet = Map<string, FieldPath>;

// Candidate list keys, most specific first: ports are keyed by port and protocol.
const LIST_KEYS = [
  ['name'],
  ['containerPort', 'protocol'],
  ['containerPort'],
  ['port', 'protocol'],
  ['port'],
  ['mountPath'],
];

// Identity and server-owned fields are never part of a field set.
const IGNORED_METADATA = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
];

/** True for a JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The key fields of an associative list, or undefined for an atomic list. */
export function listKeyOf(items: unknown[]): string[] | undefined {
  if (items.length === 0 || !items.every(isObject)) {
    return undefined;
  }
  const objects = items as Array<Record<string, unknown>>;
  for (const fields of LIST_KEYS) {
    if (objects.every(item => fields.every(f => item[f] !== undefined))) {
      const keys = objects.map(item =>
        JSON.stringify(fields.map(f => item[f])),
      );
      // Keys must be unique, or the list can only be owned as a whole.
      return new Set(keys).size === keys.length ? fields : undefined;
    }
  }
  return undefined;
}

function keyOf(
  item: Record<string, unknown>,
  fields: string[],
): Record<string, unknown> {
  return Object.fromEntries(fields.map(f => [f, item[f]]));
}

function matchesKey(item: unknown, key: Record<string, unknown>): boolean {
  return isObject(item) && Object.entries(key).every(([f, v]) => item[f] === v);
}

/** Serializes a path into the key used in a FieldSet. */
export function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

/** fieldpath.Path.String(): `.spec.template.spec.containers[name="web"].image`. */
export function pathToString(path: FieldPath): string {
  return path
    .map(el => {
      if ('f' in el) return `.${el.f}`;
      const parts = Object.entries(el.k).map(
        ([k, v]) => `${k}=${JSON.stringify(v)}`,
      );
      return `[${parts.join(',')}]`;
    })
    .join('');
}

/** A copy of the object without identity, status and server-owned metadata. */
export function ownedContent(obj: Record<string, any>): Record<string, any> {
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...rest } = obj;
  const content: Record<string, any> = { ...rest };
  if (isObject(metadata)) {
    const meta = { ...metadata };
    for (const key of IGNORED_METADATA) delete meta[key];
    if (Object.keys(meta).length > 0) content.metadata = meta;
  }
  return content;
}

function collect(value: unknown, path: FieldPath, out: FieldSet) {
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) {
      if (path.length > 0) out.set(pathKey(path), path);
      return;
    }
    for (const key of keys) collect(value[key], [...path, { f: key }], out);
    return;
  }
  if (Array.isArray(value)) {
    const fields = listKeyOf(value);
    if (!fields) {
      out.set(pathKey(path), path);
      return;
    }
    for (const item of value as Array<Record<string, unknown>>) {
      const itemPath: FieldPath = [...path, { k: keyOf(item, fields) }];
      const rest = Object.keys(item).filter(k => !fields.includes(k));
      if (rest.length === 0) out.set(pathKey(itemPath), itemPath);
      for (const field of rest)
        collect(item[field], [...itemPath, { f: field }], out);
    }
    return;
  }
  out.set(pathKey(path), path);
}

/** The leaf fields an object sets, the fields an applier comes to own. */
export function fieldSetOf(obj: Record<string, any>): FieldSet {
  const out: FieldSet = new Map();
  collect(ownedContent(obj), [], out);
  return out;
}

function findItem(
  list: unknown,
  key: Record<string, unknown>,
): Record<string, any> | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.find(item => matchesKey(item, key));
}

/** The value at a path, or undefined. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let current: unknown = obj;
  for (const el of path) {
    if ('f' in el) {
      if (!isObject(current)) return undefined;
      current = current[el.f];
    } else {
      current = findItem(current, el.k);
    }
    if (current === undefined) return undefined;
  }
  return current;
}

/** Structural equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every(
        k =>
          Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]),
      )
    );
  }
  return false;
}

function isEmptyContainer(value: unknown): boolean {
  return (
    (isObject(value) && Object.keys(value).length === 0) ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * Removes the field at a path, then the maps and keyed-list items left empty
 * by the removal (the root's own keys excepted).
 */
export function removePath(obj: Record<string, any>, path: FieldPath): void {
  const [head, ...rest] = path;
  if (!head) return;
  if ('f' in head) {
    if (!isObject(obj)) return;
    if (rest.length === 0) {
      delete obj[head.f];
      return;
    }
    const child = obj[head.f];
    if (isObject(child) || Array.isArray(child)) {
      removePath(child as any, rest);
      if (isEmptyContainer(child)) delete obj[head.f];
    }
    return;
  }
  if (!Array.isArray(obj)) return;
  const list = obj as unknown as Array<Record<string, any>>;
  const item = findItem(list, head.k);
  if (!item) return;
  if (rest.length > 0) removePath(item, rest);
  const keyFields = Object.keys(head.k);
  if (
    rest.length === 0 ||
    Object.keys(item).every(k => keyFields.includes(k))
  ) {
    list.splice(list.indexOf(item), 1);
  }
}

/** Merges an applied configuration into the live object (maps and keyed lists merge, the rest replaces). */
export function mergeApplied(live: unknown, applied: unknown): unknown {
  if (isObject(live) && isObject(applied)) {
    const out: Record<string, unknown> = { ...live };
    for (const [k, v] of Object.entries(applied))
      out[k] = mergeApplied(live[k], v);
    return out;
  }
  if (Array.isArray(live) && Array.isArray(applied)) {
    const fields = listKeyOf(applied);
    if (
      fields &&
      live.every(
        item => isObject(item) && fields.every(f => item[f] !== undefined),
      )
    ) {
      const out = live.map(item => {
        const match = applied.find(a => matchesKey(a, keyOf(item, fields)));
        return match ? mergeApplied(item, match) : item;
      });
      for (const a of applied) {
        if (!live.some(item => matchesKey(item, keyOf(a, fields))))
          out.push(structuredClone(a));
      }
      return out;
    }
  }
  return structuredClone(applied);
}

/**
 * JSON merge patch (RFC 7386); with `strategic`, keyed lists merge by key as
 * a strategic merge patch would for the built-in types.
 */
export function mergePatch(
  target: unknown,
  patch: unknown,
  strategic: boolean,
): unknown {
  if (isObject(patch)) {
    const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = mergePatch(out[k], v, strategic);
    }
    return out;
  }
  if (strategic && Array.isArray(patch) && Array.isArray(target)) {
    return mergeApplied(target, patch);
  }
  return structuredClone(patch);
}

/** Renders a field set as `fieldsV1` (`f:`/`k:` keys, `.` for list items). */
export function toFieldsV1(fields: FieldSet): Record<string, any> {
  const root: Record<string, any> = {};
  for (const path of fields.values()) {
    let node = root;
    for (const el of path) {
      if ('f' in el) {
        const key = `f:${el.f}`;
        node[key] = node[key] ?? {};
        node = node[key];
      } else {
        const key = `k:${JSON.stringify(el.k)}`;
        if (!node[key]) {
          node[key] = { '.': {} };
          for (const keyField of Object.keys(el.k))
            node[key][`f:${keyField}`] = {};
        }
        node = node[key];
      }
    }
  }
  return root;
}
