import { InputError } from '@backstage/errors';
import yaml from 'yaml';

/** The annotation every template carries: its semver. */
export const TEMPLATE_VERSION_ANNOTATION = 'paved.dev/template-version';
/** The annotation naming the template that made a component. */
export const TEMPLATE_ANNOTATION = 'paved.dev/template';

/** Which template, at which version, made a component. */
export interface Provenance {
  template: string;
  version: string;
}

const OMIT = Symbol('omitted');

/** What {@link cleaned} drops, and where it notes what it dropped. */
interface Filter {
  /** Top-level fields to leave out. */
  names: Set<string>;
  /** Secret values: a string holding one is left out. */
  values: string[];
  omitted: string[];
}

/** A value without what the filter drops; OMIT when it is dropped itself. */
function cleaned(value: unknown, path: string, filter: Filter): unknown {
  if (Array.isArray(value)) {
    return value
      .map((v, i) => cleaned(v, `${path}[${i}]`, filter))
      .filter(v => v !== OMIT);
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      if (!path && filter.names.has(k)) {
        filter.omitted.push(at);
        continue;
      }
      const c = cleaned(v, at, filter);
      if (c !== OMIT) out[k] = c;
    }
    return out;
  }
  if (typeof value === 'string' && filter.values.some(s => value.includes(s))) {
    filter.omitted.push(path);
    return OMIT;
  }
  return value;
}

/**
 * The answers without secrets: no field named in `exclude` or in the
 * task's secrets, and no value (at any depth) that holds a secret value.
 * Returns the answers kept and the paths of those left out.
 */
export function answersWithoutSecrets(
  answers: Record<string, unknown>,
  options: { exclude: string[]; secrets: Record<string, string> },
): { kept: Record<string, unknown>; omitted: string[] } {
  const filter: Filter = {
    names: new Set([...options.exclude, ...Object.keys(options.secrets)]),
    values: Object.values(options.secrets).filter(
      v => typeof v === 'string' && v.length > 0,
    ),
    omitted: [],
  };
  const kept = cleaned(answers, '', filter) as Record<string, unknown>;
  return { kept, omitted: filter.omitted.sort() };
}

/** `.paved/answers.yaml`: deterministic, so a re-run writes the same bytes (the commit dates it). */
export function answersFile(
  provenance: Provenance,
  answers: { kept: Record<string, unknown>; omitted: string[] },
): string {
  const doc = new yaml.Document({
    template: provenance.template,
    version: provenance.version,
    answers: answers.kept,
    ...(answers.omitted.length > 0 && { omitted: answers.omitted }),
  });
  doc.commentBefore =
    ' The template and the answers this repository was created with, secrets\n' +
    ' excluded (written by paved:provenance:record). Upgrading to a newer\n' +
    ' version of the template starts from here.';
  return doc.toString();
}

/**
 * A catalog-info.yaml with the provenance annotations on every Component
 * document; other documents, comments and order stay as they were.
 * Returns undefined when no document is a Component.
 */
export function annotatedCatalogInfo(
  source: string,
  provenance: Provenance,
): string | undefined {
  const docs = yaml.parseAllDocuments(source);
  let annotated = 0;
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      throw new InputError(
        `catalogInfoPath: the file is not valid YAML (${doc.errors[0].message}); expected the catalogue file fetch:template rendered`,
      );
    }
    if (doc.get('kind') !== 'Component') continue;
    doc.setIn(
      ['metadata', 'annotations', TEMPLATE_ANNOTATION],
      provenance.template,
    );
    doc.setIn(
      ['metadata', 'annotations', TEMPLATE_VERSION_ANNOTATION],
      provenance.version,
    );
    annotated += 1;
  }
  if (annotated === 0) return undefined;
  return docs
    .map((d, i) => {
      const text = d.toString();
      return i > 0 && !text.startsWith('---') ? `---\n${text}` : text;
    })
    .join('');
}
