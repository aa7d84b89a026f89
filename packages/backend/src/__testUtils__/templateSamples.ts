/*
 * The templates of templates/, discovered as the catalogue discovers them
 * (templates/<name>/template.yaml), and the form values a test fills in for
 * each: a test-values.yaml beside the template when it has one, else values
 * derived from the template's own parameter schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './wiring';

/** A template folder of templates/. */
export interface DiscoveredTemplate {
  name: string;
  dir: string;
  template: any;
}

/** Every templates/<name>/template.yaml, as the catalogue's glob location finds them. */
export function discoverTemplates(
  root = path.join(ROOT, 'templates'),
): DiscoveredTemplate[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter(d => d.isDirectory())
    .map(d => path.join(root, d.name))
    .filter(dir => fs.existsSync(path.join(dir, 'template.yaml')))
    .map(dir => {
      const template = parseYaml(
        fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8'),
      );
      return { name: template.metadata.name, dir, template };
    });
}

/** What sample values may refer to: entities the test backend holds. */
export interface SampleContext {
  /** The group that owns what a sample creates (the caller's own). */
  owner: string;
  /** An existing component of that caller may act on (entity ref). */
  component: string;
  /** The repoUrl host for new repositories. */
  host: string;
}

type Schema = Record<string, any>;

/** The parameter steps' properties and required names, merged. */
function formOf(template: any): { properties: Schema; required: string[] } {
  const steps: Schema[] = [template.spec.parameters ?? []].flat();
  return {
    properties: Object.assign({}, ...steps.map(s => s.properties ?? {})),
    required: steps.flatMap(s => s.required ?? []),
  };
}

/** A string for a field with a pattern: the first candidate the pattern takes. */
function patterned(field: string, schema: Schema, base: string) {
  const max = schema.maxLength ?? 63;
  const candidates = [base, `${base}-1`, 'sample', 'a1b2c3'].map(c =>
    c.slice(0, max).replace(/-+$/, ''),
  );
  const found = candidates.find(c => new RegExp(schema.pattern).test(c));
  if (found === undefined) {
    throw new Error(
      `no sample for ${field} (pattern ${schema.pattern}): add a test-values.yaml beside the template`,
    );
  }
  return found;
}

/** The sample value of one field; undefined leaves it out of the form. */
function sampleOf(
  field: string,
  schema: Schema,
  required: boolean,
  name: string,
  ctx: SampleContext,
): unknown {
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const ui = schema['ui:field'];
  if (ui === 'OwnerPicker') return ctx.owner;
  if (ui === 'RepoUrlPicker') return `${ctx.host}?owner=kestrel&repo=${name}`;
  if (ui === 'EntityPicker') {
    const kind = String(schema['ui:options']?.catalogFilter?.kind ?? '');
    if (kind.toLowerCase() === 'component') return ctx.component;
    if (!required) return undefined;
    throw new Error(
      `no sample for ${field} (an EntityPicker of ${kind}): add a test-values.yaml beside the template naming one`,
    );
  }
  if (schema.type === 'boolean') return false;
  if (!required) return undefined;
  switch (schema.type) {
    case 'number':
    case 'integer':
      return schema.minimum ?? 1;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return schema.pattern
        ? patterned(field, schema, name)
        : `Sample ${field} of ${name}`;
  }
}

/**
 * The values a test submits for a template: its test-values.yaml when
 * there is one (merged over the derived ones), else derived from the
 * schema: defaults, the first of an enum, the caller's group for an
 * OwnerPicker, a new repository for a RepoUrlPicker, the context's
 * component for an EntityPicker of components, and `name` (or a string
 * its pattern takes) for the remaining required fields.
 */
export function sampleValues(
  t: DiscoveredTemplate,
  name: string,
  ctx: SampleContext,
): Record<string, unknown> {
  const { properties, required } = formOf(t.template);
  const file = path.join(t.dir, 'test-values.yaml');
  const given = fs.existsSync(file)
    ? parseYaml(fs.readFileSync(file, 'utf8'))
    : {};
  const values: Record<string, unknown> = {};
  for (const [field, schema] of Object.entries(properties)) {
    // A field test-values.yaml names needs no derived sample.
    if (field in given) continue;
    const value = sampleOf(field, schema, required.includes(field), name, ctx);
    if (value !== undefined) values[field] = value;
  }
  return { ...values, ...given };
}
