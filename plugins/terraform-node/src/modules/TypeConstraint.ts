/**
 * A Terraform type constraint, as written in a variable's `type` argument.
 *
 * @public
 */
export type TypeConstraint =
  | { kind: 'string' | 'number' | 'bool' | 'any' }
  | { kind: 'list' | 'set' | 'map'; element: TypeConstraint }
  | { kind: 'tuple'; elements: TypeConstraint[] }
  | {
      kind: 'object';
      attributes: Record<string, { type: TypeConstraint; optional: boolean }>;
    };

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  skip() {
    while (this.pos < this.text.length && /[\s,]/.test(this.text[this.pos]))
      this.pos++;
  }

  peek() {
    this.skip();
    return this.text[this.pos];
  }

  expect(ch: string) {
    if (this.peek() !== ch) {
      throw new Error(
        `expected "${ch}" at offset ${this.pos} of type "${this.text}"`,
      );
    }
    this.pos++;
  }

  ident() {
    this.skip();
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.pos));
    if (!m) {
      throw new Error(
        `expected a type name at offset ${this.pos} of type "${this.text}"`,
      );
    }
    this.pos += m[0].length;
    return m[0];
  }

  /** Skips a default value expression up to the closing parenthesis. */
  skipExpression() {
    let depth = 0;
    let quote = false;
    for (; this.pos < this.text.length; this.pos++) {
      const ch = this.text[this.pos];
      if (quote) {
        if (ch === '\\') this.pos++;
        else if (ch === '"') quote = false;
      } else if (ch === '"') quote = true;
      else if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) {
        if (depth === 0) return;
        depth--;
      }
    }
  }
}

function parseType(s: Scanner): TypeConstraint {
  const name = s.ident();
  switch (name) {
    case 'string':
    case 'number':
    case 'bool':
    case 'any':
      return { kind: name };
    case 'list':
    case 'set':
    case 'map': {
      s.expect('(');
      const element = parseType(s);
      s.expect(')');
      return { kind: name, element };
    }
    case 'tuple': {
      s.expect('(');
      s.expect('[');
      const elements: TypeConstraint[] = [];
      while (s.peek() !== ']') elements.push(parseType(s));
      s.expect(']');
      s.expect(')');
      return { kind: 'tuple', elements };
    }
    case 'object': {
      s.expect('(');
      s.expect('{');
      const attributes: Record<
        string,
        { type: TypeConstraint; optional: boolean }
      > = {};
      while (s.peek() !== '}') {
        const attr = s.ident();
        s.expect('=');
        const save = s.pos;
        const word = s.ident();
        if (word === 'optional') {
          s.expect('(');
          const type = parseType(s);
          if (s.peek() !== ')') s.skipExpression();
          s.expect(')');
          attributes[attr] = { type, optional: true };
        } else {
          s.pos = save;
          attributes[attr] = { type: parseType(s), optional: false };
        }
      }
      s.expect('}');
      s.expect(')');
      return { kind: 'object', attributes };
    }
    default:
      throw new Error(`unknown type "${name}" in "${s.text}"`);
  }
}

/**
 * Parses a type constraint such as `list(string)` or
 * `object({ name = string, port = optional(number, 5432) })`. Accepts the
 * `${...}` wrapping HCL-to-JSON converters put around expressions.
 *
 * @public
 */
export function parseTypeConstraint(text: string): TypeConstraint {
  let source = text.trim();
  if (source.startsWith('${') && source.endsWith('}')) {
    source = source.slice(2, -1);
  }
  const scanner = new Scanner(source);
  const type = parseType(scanner);
  scanner.skip();
  if (scanner.pos !== source.length) {
    throw new Error(`unexpected text after type in "${text}"`);
  }
  return type;
}

/**
 * The canonical text of a type constraint.
 *
 * @public
 */
export function describeTypeConstraint(type: TypeConstraint): string {
  switch (type.kind) {
    case 'list':
    case 'set':
    case 'map':
      return `${type.kind}(${describeTypeConstraint(type.element)})`;
    case 'tuple':
      return `tuple([${type.elements.map(describeTypeConstraint).join(', ')}])`;
    case 'object':
      return `object({ ${Object.entries(type.attributes)
        .map(([name, a]) =>
          a.optional
            ? `${name} = optional(${describeTypeConstraint(a.type)})`
            : `${name} = ${describeTypeConstraint(a.type)}`,
        )
        .join(', ')} })`;
    default:
      return type.kind;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a JSON value against a type constraint, strictly: no conversion of
 * numbers to strings or of strings to booleans. Returns one message per
 * problem, each starting with the path of the offending value.
 *
 * @public
 */
export function checkTypeConstraint(
  type: TypeConstraint,
  value: unknown,
  path: string,
): string[] {
  const wrong = (expected: string) => [
    `${path}: expected ${expected}, got ${describeValue(value)}`,
  ];
  switch (type.kind) {
    case 'any':
      return value === undefined ? wrong('a value') : [];
    case 'string':
      return typeof value === 'string' ? [] : wrong('a string');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? []
        : wrong('a number');
    case 'bool':
      return typeof value === 'boolean' ? [] : wrong('a bool');
    case 'list':
    case 'set': {
      if (!Array.isArray(value))
        return wrong(`a ${describeTypeConstraint(type)}`);
      const errors = value.flatMap((v, i) =>
        checkTypeConstraint(type.element, v, `${path}[${i}]`),
      );
      if (type.kind === 'set') {
        const seen = new Set(value.map(v => JSON.stringify(v)));
        if (seen.size !== value.length)
          errors.push(`${path}: a set cannot hold duplicate elements`);
      }
      return errors;
    }
    case 'map':
      if (!isPlainObject(value))
        return wrong(`a ${describeTypeConstraint(type)}`);
      return Object.entries(value).flatMap(([k, v]) =>
        checkTypeConstraint(type.element, v, `${path}.${k}`),
      );
    case 'tuple':
      if (!Array.isArray(value) || value.length !== type.elements.length)
        return wrong(`a ${describeTypeConstraint(type)}`);
      return type.elements.flatMap((t, i) =>
        checkTypeConstraint(t, value[i], `${path}[${i}]`),
      );
    case 'object': {
      if (!isPlainObject(value))
        return wrong(`an ${describeTypeConstraint(type)}`);
      const errors: string[] = [];
      for (const [name, attr] of Object.entries(type.attributes)) {
        const v = value[name];
        if (v === undefined || v === null) {
          if (!attr.optional) errors.push(`${path}.${name}: missing, required`);
          continue;
        }
        errors.push(...checkTypeConstraint(attr.type, v, `${path}.${name}`));
      }
      for (const name of Object.keys(value)) {
        if (!(name in type.attributes)) {
          errors.push(
            `${path}.${name}: not an attribute of ${describeTypeConstraint(
              type,
            )}`,
          );
        }
      }
      return errors;
    }
    default:
      return [];
  }
}
