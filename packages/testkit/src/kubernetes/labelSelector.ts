/**
 * Label and field selectors with the grammar of k8s.io/apimachinery
 * pkg/labels/selector.go: comma means AND; `=`, `==`, `!=`, `in (a,b)`,
 * `notin (a,b)`, `key`, `!key`, and `>`/`<` on integers. `!=` and `notin`
 * match objects that lack the key.
 */

type Requirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'gt' | 'lt'; value: number };

/** A parsed selector; `matches` tests a label map. */
export interface Selector {
  matches(labels: Record<string, string> | undefined): boolean;
}

/** Thrown for a selector the apiserver would reject with 400. */
export class SelectorError extends Error {}

function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function parseRequirement(raw: string): Requirement {
  const text = raw.trim();
  if (!text) {
    throw new SelectorError(
      `unable to parse requirement: found '', expected: identifier`,
    );
  }
  const setMatch = text.match(/^([^\s!=<>(),]+)\s+(in|notin)\s*\(([^)]*)\)$/);
  if (setMatch) {
    const values = setMatch[3]
      .split(',')
      .map(v => v.trim())
      .filter(v => v !== '');
    return { key: setMatch[1], op: setMatch[2] as 'in' | 'notin', values };
  }
  const neq = text.match(/^([^\s!=<>(),]+)\s*!=\s*([^\s!=<>(),]*)$/);
  if (neq) return { key: neq[1], op: 'notin', values: [neq[2]] };
  const eq = text.match(/^([^\s!=<>(),]+)\s*==?\s*([^\s!=<>(),]*)$/);
  if (eq) return { key: eq[1], op: 'in', values: [eq[2]] };
  const cmp = text.match(/^([^\s!=<>(),]+)\s*([<>])\s*(-?\d+)$/);
  if (cmp)
    return {
      key: cmp[1],
      op: cmp[2] === '>' ? 'gt' : 'lt',
      value: Number(cmp[3]),
    };
  const notExists = text.match(/^!\s*([^\s!=<>(),]+)$/);
  if (notExists) return { key: notExists[1], op: 'notexists' };
  if (/^[^\s!=<>(),]+$/.test(text)) return { key: text, op: 'exists' };
  throw new SelectorError(
    `unable to parse requirement: invalid requirement "${text}"`,
  );
}

function matchesRequirement(
  r: Requirement,
  labels: Record<string, string>,
): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.op) {
    case 'exists':
      return has;
    case 'notexists':
      return !has;
    case 'in':
      return has && r.values.includes(labels[r.key]);
    case 'notin':
      return !has || !r.values.includes(labels[r.key]);
    case 'gt':
      return has && Number(labels[r.key]) > r.value;
    case 'lt':
      return has && Number(labels[r.key]) < r.value;
    default:
      return false;
  }
}

/** Parses a `labelSelector` query parameter. */
export function parseLabelSelector(input: string | undefined): Selector {
  if (!input || !input.trim()) {
    return { matches: () => true };
  }
  const requirements = splitTopLevel(input).map(parseRequirement);
  return {
    matches(labels) {
      return requirements.every(r => matchesRequirement(r, labels ?? {}));
    },
  };
}

/**
 * Parses a `fieldSelector`; `supported` lists the field labels the resource
 * accepts, anything else is a 400 `field label not supported`.
 */
export function parseFieldSelector(
  input: string | undefined,
  supported: string[],
): { matches(fields: Record<string, string>): boolean } {
  if (!input || !input.trim()) {
    return { matches: () => true };
  }
  const requirements = input.split(',').map(part => {
    const m = part.trim().match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) {
      throw new SelectorError(
        `invalid selector: '${input}'; can't understand '${part}'`,
      );
    }
    const [, field, op, value] = m;
    if (!supported.includes(field)) {
      throw new SelectorError(`field label not supported: ${field}`);
    }
    return { field, negate: op === '!=', value };
  });
  return {
    matches(fields) {
      return requirements.every(
        r => (fields[r.field] === r.value) !== r.negate,
      );
    },
  };
}
