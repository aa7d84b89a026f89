import { InputError } from '@backstage/errors';
import { isAlias, isNode, parseAllDocuments, visit } from 'yaml';

/**
 * A Kubernetes object as read from a manifest.
 *
 * @public
 */
export type KubernetesManifest = Record<string, any> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, any> & { name: string };
};

/**
 * Limits for {@link parseManifests}.
 *
 * @public
 */
export interface ParseManifestsOptions {
  maxBytes: number;
  maxDocuments: number;
  /** Names the input in errors, e.g. a file path. Default "manifests". */
  source?: string;
}

function describeSize(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
    : `${Math.ceil(bytes / 1024)} KiB`;
}

/**
 * Checks a manifest set's size before anything parses it.
 *
 * @public
 */
export function assertManifestSize(
  bytes: number,
  maxBytes: number,
  source = 'manifests',
): void {
  if (bytes > maxBytes) {
    throw new InputError(
      `${source}: ${describeSize(
        bytes,
      )} (${bytes} bytes) is over the limit of ${maxBytes} bytes (paved.kubernetes.maxManifestBytes)`,
    );
  }
}

/** A document marker: `---` (a document starts) or `...` (one ends), at the start of a line. */
const DOCUMENT_MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/gm;

/**
 * The fewest YAML documents a text holds, from its document markers alone,
 * without parsing it: every `---` starts a document and every `...` ends
 * one (markers are always markers at the start of a line, even inside a
 * block scalar), so the text holds at least as many documents as it has
 * of either.
 */
export function minimumDocuments(text: string): number {
  let starts = 0;
  let ends = 0;
  for (const [marker] of text.matchAll(DOCUMENT_MARKER)) {
    if (marker === '---') starts += 1;
    else ends += 1;
  }
  return Math.max(starts, ends);
}

/**
 * Checks that a parsed document is a Kubernetes object with apiVersion, kind
 * and metadata.name.
 *
 * @public
 */
export function assertManifest(
  value: unknown,
  where: string,
): KubernetesManifest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    let got = `a ${typeof value}`;
    if (Array.isArray(value)) got = 'a list';
    if (value === null) got = 'nothing';
    throw new InputError(
      `${where}: expected a Kubernetes object (a mapping with apiVersion, kind and metadata.name), got ${got}`,
    );
  }
  const obj = value as Record<string, any>;
  for (const field of ['apiVersion', 'kind'] as const) {
    if (typeof obj[field] !== 'string' || !obj[field]) {
      throw new InputError(
        `${where}: ${field} is missing; expected a string such as "${
          field === 'kind' ? 'Deployment' : 'apps/v1'
        }"`,
      );
    }
  }
  if (
    typeof obj.metadata !== 'object' ||
    obj.metadata === null ||
    typeof obj.metadata.name !== 'string' ||
    !obj.metadata.name
  ) {
    throw new InputError(
      `${where}: metadata.name is missing; every object needs a name (generateName is not supported)`,
    );
  }
  return obj as KubernetesManifest;
}

/**
 * Parses YAML manifests strictly: the size is checked before parsing, the
 * number of documents is bounded, anchors and aliases (and so alias bombs),
 * merge keys, custom tags and duplicate keys are refused, and every document
 * must be a Kubernetes object. Empty documents are skipped. Errors name the
 * document (1-based) and the field.
 *
 * @public
 */
export function parseManifests(
  text: string,
  options: ParseManifestsOptions,
): KubernetesManifest[] {
  const source = options.source ?? 'manifests';
  assertManifestSize(Buffer.byteLength(text, 'utf8'), options.maxBytes, source);
  // Counted before parsing: parsing a megabyte of empty documents takes seconds.
  const atLeast = minimumDocuments(text);
  if (atLeast > options.maxDocuments) {
    throw new InputError(
      `${source}: at least ${atLeast} YAML documents; at most ${options.maxDocuments} are allowed (paved.kubernetes.maxDocuments)`,
    );
  }

  const docs = parseAllDocuments(text, {
    merge: false,
    uniqueKeys: true,
    prettyErrors: true,
    customTags: [],
    strict: true,
  });
  if (!Array.isArray(docs)) {
    // parseAllDocuments returns an EmptyStream for empty input.
    return [];
  }
  if (docs.length > options.maxDocuments) {
    throw new InputError(
      `${source}: ${docs.length} YAML documents; at most ${options.maxDocuments} are allowed (paved.kubernetes.maxDocuments)`,
    );
  }

  const manifests: KubernetesManifest[] = [];
  docs.forEach((doc, index) => {
    const where = `${source}: document ${index + 1}`;
    const error = doc.errors[0];
    if (error) {
      throw new InputError(
        `${where}: invalid YAML: ${error.message.split('\n')[0]}`,
      );
    }
    visit(doc, {
      Node(_key, node) {
        if (isAlias(node)) {
          throw new InputError(
            `${where}: YAML aliases (*${node.source}) are not allowed; write the value out`,
          );
        }
        if (isNode(node) && node.anchor) {
          throw new InputError(
            `${where}: YAML anchors (&${node.anchor}) are not allowed; write the value out`,
          );
        }
        if (
          isNode(node) &&
          node.tag &&
          !node.tag.startsWith('tag:yaml.org,2002:')
        ) {
          throw new InputError(
            `${where}: the YAML tag ${node.tag} is not allowed`,
          );
        }
      },
    });
    const value = doc.toJS({ maxAliasCount: 0 });
    if (value === null || value === undefined) {
      return;
    }
    manifests.push(assertManifest(value, where));
  });
  return manifests;
}
