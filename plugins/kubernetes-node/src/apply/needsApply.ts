/**
 * Decides from a read whether a server-side apply would change anything, so
 * that a warm run writes nothing.
 */

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when every field of `desired` is in `live` with the same value (lists compared whole). */
export function containsDesired(live: unknown, desired: unknown): boolean {
  if (isObject(desired)) {
    return (
      isObject(live) &&
      Object.entries(desired).every(([k, v]) => containsDesired(live[k], v))
    );
  }
  if (Array.isArray(desired)) {
    return (
      Array.isArray(live) &&
      live.length === desired.length &&
      desired.every((v, i) => containsDesired(live[i], v))
    );
  }
  return live === desired;
}

const IDENTITY = new Set([
  'apiVersion',
  'kind',
  'status',
  'metadata.name',
  'metadata.namespace',
]);

/** Paths of the fields an applied object sets, cut at lists (`spec.template.spec.containers`). */
export function desiredFieldPaths(obj: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  const walk = (value: unknown, path: string) => {
    if (IDENTITY.has(path)) return;
    if (isObject(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value))
        walk(v, path ? `${path}.${k}` : k);
      return;
    }
    out.add(path);
  };
  walk(obj, '');
  return out;
}

/** Paths of the fields a managedFields entry owns, cut at lists like {@link desiredFieldPaths}. */
export function managedFieldPaths(fieldsV1: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, path: string) => {
    if (!isObject(node)) return;
    const keys = Object.keys(node).filter(k => k !== '.');
    if (keys.length === 0) {
      if (path) out.add(path);
      return;
    }
    for (const key of keys) {
      if (key.startsWith('f:')) {
        const child = node[key];
        const childPath = path ? `${path}.${key.slice(2)}` : key.slice(2);
        if (
          isObject(child) &&
          Object.keys(child).some(k => /^[kvi]:/.test(k))
        ) {
          out.add(childPath);
        } else {
          walk(child, childPath);
        }
      }
    }
  };
  walk(fieldsV1, '');
  for (const path of [...out]) {
    if (IDENTITY.has(path)) out.delete(path);
  }
  return out;
}

/**
 * True when applying `desired` as `manager` would change the live object:
 * it is missing, a desired value differs, the manager does not own its
 * fields yet, or the manager owns fields `desired` no longer sets (which an
 * apply would remove).
 *
 * `desiredModel` is `desired` in the client's model form (the form the live
 * object arrives in, e.g. `_default` for `default`); values are compared in
 * that form, field ownership in the wire form.
 */
export function needsApply(
  desired: Record<string, unknown>,
  liveObject: unknown,
  manager: string,
  desiredModel: unknown = desired,
): boolean {
  if (!isObject(liveObject)) {
    return true;
  }
  // The client deserializes timestamps into Dates; compare the JSON form.
  const live = JSON.parse(JSON.stringify(liveObject));
  if (!containsDesired(live, JSON.parse(JSON.stringify(desiredModel)))) {
    return true;
  }
  const entry = (live.metadata?.managedFields ?? []).find(
    (m: { manager?: string; operation?: string }) =>
      m.manager === manager && m.operation === 'Apply',
  );
  if (!entry) {
    return true;
  }
  const wanted = desiredFieldPaths(desired);
  for (const owned of managedFieldPaths(entry.fieldsV1)) {
    if (!wanted.has(owned)) {
      return true;
    }
  }
  return false;
}
