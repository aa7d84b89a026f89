/*
 * Validates the sample organisation (catalog/), the golden-path templates
 * (templates/) and the portal's own catalog-info.yaml the same way the
 * catalogue would: every file reachable from the Location entities must parse,
 * every entity must pass the catalogue's entity policies and its kind schema,
 * and every relation must point at an entity that exists in the sample.
 *
 * Failures are reported as a list of "<file>: <entity>: <problem>" lines.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  KindValidator,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';

const repoRoot = path.resolve(__dirname, '../../..');
const rel = (file: string) => path.relative(repoRoot, file);

/** An entity together with where it was read from. */
type Loaded = {
  file: string;
  /** The entity as written in the file. */
  raw: Entity;
  /** The entity with $text/$yaml/$json placeholders substituted. */
  entity: Entity;
};

type LoadResult = { entities: Loaded[]; files: string[]; problems: string[] };

function describeEntity(e: Partial<Entity> | undefined): string {
  const kind = typeof e?.kind === 'string' ? e.kind : '<no kind>';
  const name =
    typeof e?.metadata?.name === 'string' ? e.metadata.name : '<no name>';
  return `${kind}:${e?.metadata?.namespace ?? 'default'}/${name}`;
}

/**
 * Substitutes catalogue placeholders ({ $text: path } etc.), which are resolved
 * relative to the file the entity was read from.
 */
function resolvePlaceholders(
  value: unknown,
  baseDir: string,
  onProblem: (message: string) => void,
): unknown {
  if (Array.isArray(value)) {
    return value.map(v => resolvePlaceholders(v, baseDir, onProblem));
  }
  if (!value || typeof value !== 'object') {
    return value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0].startsWith('$')) {
    const [key] = keys;
    const target = obj[key];
    if (!['$text', '$yaml', '$json'].includes(key)) {
      onProblem(`unknown placeholder ${key}`);
      return value;
    }
    if (typeof target !== 'string' || /^[a-z]+:\/\//i.test(target)) {
      onProblem(`${key} must be a relative file path, got ${String(target)}`);
      return value;
    }
    const file = path.resolve(baseDir, target);
    if (!fs.existsSync(file)) {
      onProblem(`${key} points at ${rel(file)}, which does not exist`);
      return value;
    }
    const text = fs.readFileSync(file, 'utf8');
    try {
      if (key === '$json') return JSON.parse(text);
      if (key === '$yaml') return parseAllDocuments(text)[0]?.toJSON();
    } catch (e) {
      onProblem(`${key} ${rel(file)} does not parse: ${e}`);
    }
    return text;
  }
  return Object.fromEntries(
    keys.map(k => [k, resolvePlaceholders(obj[k], baseDir, onProblem)]),
  );
}

/** Reads all entities of one YAML file. */
function readEntityFile(file: string, problems: string[]): Loaded[] {
  const result: Loaded[] = [];
  if (!fs.existsSync(file)) {
    problems.push(`${rel(file)}: file does not exist`);
    return result;
  }
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  docs.forEach((doc, index) => {
    if (doc.errors.length) {
      problems.push(
        `${rel(file)}: YAML document #${index + 1} does not parse: ${doc.errors
          .map(e => e.message)
          .join('; ')}`,
      );
      return;
    }
    const raw = doc.toJSON();
    if (raw === null || raw === undefined) return; // empty document
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push(
        `${rel(file)}: YAML document #${index + 1} is not an object`,
      );
      return;
    }
    if (
      typeof raw.kind !== 'string' ||
      typeof raw.metadata?.name !== 'string'
    ) {
      problems.push(
        `${rel(file)}: YAML document #${
          index + 1
        } has no kind or metadata.name`,
      );
      return;
    }
    const entity = resolvePlaceholders(raw, path.dirname(file), message =>
      problems.push(`${rel(file)}: ${describeEntity(raw)}: ${message}`),
    ) as Entity;
    result.push({ file, raw: raw as Entity, entity });
  });
  return result;
}

/**
 * Reads a YAML file and, for every Location entity in it, the files it
 * targets (recursively), like the catalogue does for file locations.
 */
function loadLocationTree(root: string): LoadResult {
  const result: LoadResult = { entities: [], files: [], problems: [] };
  const queue = [root];
  while (queue.length) {
    const file = queue.shift()!;
    if (result.files.includes(file)) {
      result.problems.push(`${rel(file)}: targeted by more than one Location`);
      continue;
    }
    result.files.push(file);
    for (const loaded of readEntityFile(file, result.problems)) {
      result.entities.push(loaded);
      if (loaded.entity.kind !== 'Location') continue;
      const spec = (loaded.entity.spec ?? {}) as {
        type?: string;
        target?: string;
        targets?: string[];
      };
      const targets = [
        ...(spec.target ? [spec.target] : []),
        ...(spec.targets ?? []),
      ];
      if (!targets.length) {
        result.problems.push(
          `${rel(file)}: ${describeEntity(loaded.entity)}: has no targets`,
        );
      }
      for (const target of targets) {
        if (spec.type && spec.type !== 'file') continue;
        if (!target.startsWith('./')) {
          result.problems.push(
            `${rel(file)}: ${describeEntity(
              loaded.entity,
            )}: target ${target} should be a relative path starting with ./`,
          );
          continue;
        }
        queue.push(path.resolve(path.dirname(file), target));
      }
    }
  }
  return result;
}

const kindValidators: KindValidator[] = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  templateEntityV1beta3Validator,
];

/** The same policies the catalogue backend applies by default. */
const entityPolicy = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
]);

/**
 * Relation fields per kind, with the default kind the catalogue uses when a
 * reference has no kind (undefined: the kind is mandatory), and the kinds the
 * target may have. Mirrors BuiltinKindsEntityProcessor and the scaffolder
 * entity model.
 */
type RelationField = {
  field: string;
  defaultKind?: string;
  allowedKinds: string[];
};
const owner: RelationField = {
  field: 'owner',
  defaultKind: 'Group',
  allowedKinds: ['group', 'user'],
};
const system: RelationField = {
  field: 'system',
  defaultKind: 'System',
  allowedKinds: ['system'],
};
const dependsOn: RelationField = {
  field: 'dependsOn',
  allowedKinds: ['component', 'resource'],
};
const dependencyOf: RelationField = {
  field: 'dependencyOf',
  allowedKinds: ['component', 'resource'],
};
const relationFields: Record<string, RelationField[]> = {
  component: [
    owner,
    system,
    dependsOn,
    dependencyOf,
    {
      field: 'subcomponentOf',
      defaultKind: 'Component',
      allowedKinds: ['component'],
    },
    { field: 'providesApis', defaultKind: 'API', allowedKinds: ['api'] },
    { field: 'consumesApis', defaultKind: 'API', allowedKinds: ['api'] },
  ],
  api: [owner, system],
  resource: [owner, system, dependsOn, dependencyOf],
  system: [
    owner,
    { field: 'domain', defaultKind: 'Domain', allowedKinds: ['domain'] },
  ],
  domain: [
    owner,
    { field: 'subdomainOf', defaultKind: 'Domain', allowedKinds: ['domain'] },
  ],
  group: [
    { field: 'parent', defaultKind: 'Group', allowedKinds: ['group'] },
    { field: 'children', defaultKind: 'Group', allowedKinds: ['group'] },
    { field: 'members', defaultKind: 'User', allowedKinds: ['user'] },
  ],
  user: [{ field: 'memberOf', defaultKind: 'Group', allowedKinds: ['group'] }],
  template: [owner],
};

const refOf = (e: Entity) => stringifyEntityRef(e).toLocaleLowerCase('en-US');

/** Resolves the references in one relation field of an entity. */
function refsIn(
  e: Entity,
  rf: RelationField,
  onProblem: (message: string) => void,
): string[] {
  const value = (e.spec as Record<string, unknown> | undefined)?.[rf.field];
  if (value === undefined) return [];
  const refs: string[] = [];
  for (const target of [value].flat()) {
    if (typeof target !== 'string') {
      onProblem(`spec.${rf.field} contains a non-string: ${String(target)}`);
      continue;
    }
    try {
      const ref = parseEntityRef(target, {
        defaultKind: rf.defaultKind,
        defaultNamespace: e.metadata.namespace ?? 'default',
      });
      if (!rf.allowedKinds.includes(ref.kind.toLocaleLowerCase('en-US'))) {
        onProblem(
          `spec.${rf.field} "${target}" must refer to a ${rf.allowedKinds.join(
            ' or ',
          )}, not a ${ref.kind}`,
        );
        continue;
      }
      refs.push(stringifyEntityRef(ref).toLocaleLowerCase('en-US'));
    } catch (error) {
      onProblem(`spec.${rf.field} "${target}" is not a valid reference`);
    }
  }
  return refs;
}

/** Checks that every local "#/..." $ref inside a JSON document resolves. */
function danglingLocalRefs(doc: unknown): string[] {
  const dangling: string[] = [];
  const lookup = (pointer: string) =>
    pointer
      .slice(2)
      .split('/')
      .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>(
        (node, key) =>
          node && typeof node === 'object'
            ? (node as Record<string, unknown>)[key]
            : undefined,
        doc,
      );
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (
          key === '$ref' &&
          typeof child === 'string' &&
          child.startsWith('#/') &&
          lookup(child) === undefined
        ) {
          dangling.push(child);
        }
        walk(child);
      }
    }
  };
  walk(doc);
  return dangling;
}

/** Every template.yaml one folder below dir, loaded as the catalogue glob location loads them. */
function discoveredTemplates(dir: string): LoadResult {
  const result: LoadResult = { entities: [], files: [], problems: [] };
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, d.name, 'template.yaml');
    if (!d.isDirectory() || !fs.existsSync(file)) continue;
    result.files.push(file);
    result.entities.push(...readEntityFile(file, result.problems));
  }
  return result;
}

function listYamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(d => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return listYamlFiles(full);
    return /\.ya?ml$/.test(d.name) ? [full] : [];
  });
}

describe('sample catalog, golden-path templates and catalog-info.yaml', () => {
  const catalogDir = path.join(repoRoot, 'catalog');
  const templatesDir = path.join(repoRoot, 'templates');
  const catalog = loadLocationTree(path.join(catalogDir, 'all.yaml'));
  // Discovered as the catalogue's glob location does: templates/*/template.yaml.
  const templates = discoveredTemplates(templatesDir);
  const portal = loadLocationTree(path.join(repoRoot, 'catalog-info.yaml'));
  const all = [...catalog.entities, ...templates.entities, ...portal.entities];
  const label = (l: Loaded) => `${rel(l.file)}: ${describeEntity(l.entity)}`;
  const byRef = new Map<string, Loaded>();
  for (const l of all) {
    if (typeof l.entity.kind === 'string' && l.entity.metadata?.name) {
      byRef.set(refOf(l.entity), l);
    }
  }
  const ofKind = (kind: string) =>
    catalog.entities
      .map(l => l.entity)
      .filter(e => e.kind.toLocaleLowerCase('en-US') === kind);

  it('reads every Location target and parses every YAML document', () => {
    expect([
      ...catalog.problems,
      ...templates.problems,
      ...portal.problems,
    ]).toEqual([]);
    expect(catalog.entities.length).toBeGreaterThan(0);
    expect(templates.entities.length).toBeGreaterThan(0);
    expect(portal.entities.length).toBe(1);
  });

  it('lists every catalog file in catalog/all.yaml', () => {
    const unlisted = listYamlFiles(catalogDir)
      .filter(f => !f.startsWith(path.join(catalogDir, 'apis') + path.sep))
      .filter(f => !catalog.files.includes(f))
      .map(f => `${rel(f)}: not reachable from catalog/all.yaml`);
    expect(unlisted).toEqual([]);
  });

  it('validates every entity against the catalogue policies and its kind schema', async () => {
    const problems: string[] = [];
    for (const l of all) {
      try {
        await entityPolicy.enforce(l.entity);
      } catch (e) {
        problems.push(`${label(l)}: ${(e as Error).message}`);
        continue;
      }
      let handled = 0;
      for (const validator of kindValidators) {
        try {
          if (await validator.check(l.entity)) handled += 1;
        } catch (e) {
          problems.push(`${label(l)}: ${(e as Error).message}`);
          handled += 1;
        }
      }
      if (handled === 0) {
        problems.push(
          `${label(l)}: unknown kind/apiVersion ${l.entity.apiVersion} ${
            l.entity.kind
          }`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('defines every entity only once', () => {
    const seen = new Map<string, Loaded>();
    const problems: string[] = [];
    for (const l of all) {
      const ref = refOf(l.entity);
      const first = seen.get(ref);
      if (first) {
        problems.push(`${label(l)}: already defined in ${rel(first.file)}`);
      }
      seen.set(ref, l);
    }
    expect(problems).toEqual([]);
  });

  it('resolves every relation to an entity in the sample', () => {
    const problems: string[] = [];
    for (const l of all) {
      const fields = relationFields[l.entity.kind.toLocaleLowerCase('en-US')];
      for (const rf of fields ?? []) {
        const onProblem = (message: string) =>
          problems.push(`${label(l)}: ${message}`);
        for (const ref of refsIn(l.entity, rf, onProblem)) {
          if (!byRef.has(ref)) {
            onProblem(
              `spec.${rf.field} refers to ${ref}, which is not defined`,
            );
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps group parents and children consistent', () => {
    const problems: string[] = [];
    const ignore = () => {};
    const groups = all.filter(l => l.entity.kind === 'Group');
    for (const l of groups) {
      const groupRef = refOf(l.entity);
      const [parent] = refsIn(l.entity, relationFields.group[0], ignore);
      const parentGroup = parent ? byRef.get(parent) : undefined;
      if (
        parentGroup &&
        !refsIn(parentGroup.entity, relationFields.group[1], ignore).includes(
          groupRef,
        )
      ) {
        problems.push(
          `${label(l)}: parent ${parent} does not list it in spec.children`,
        );
      }
      for (const child of refsIn(l.entity, relationFields.group[1], ignore)) {
        const childGroup = byRef.get(child);
        if (
          childGroup &&
          refsIn(childGroup.entity, relationFields.group[0], ignore)[0] !==
            groupRef
        ) {
          problems.push(
            `${label(l)}: child ${child} does not name it as spec.parent`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps API definitions inline, as real OpenAPI 3 / AsyncAPI documents', () => {
    const problems: string[] = [];
    const apis = all.filter(l => l.entity.kind === 'API');
    for (const l of apis) {
      const spec = l.entity.spec as { type: string; definition: unknown };
      // The catalogue cannot resolve relative $text placeholders from file
      // locations (it resolves them as URLs), so definitions are inline text.
      const defFile = `${label(l)} definition`;
      if (
        typeof (l.raw.spec as { definition?: unknown }).definition !== 'string'
      ) {
        problems.push(`${defFile}: must be inline text, not a placeholder`);
        continue;
      }
      if (typeof spec.definition !== 'string') continue; // reported on load
      const docs = parseAllDocuments(spec.definition);
      if (docs.length !== 1 || docs[0].errors.length) {
        problems.push(`${label(l)}: ${defFile} is not a single YAML document`);
        continue;
      }
      const doc = docs[0].toJSON() as Record<string, unknown>;
      const hasEntries = (key: string) =>
        !!doc?.[key] &&
        typeof doc[key] === 'object' &&
        Object.keys(doc[key] as object).length > 0;
      if (spec.type === 'openapi') {
        if (!/^3\.\d+\.\d+$/.test(String(doc?.openapi))) {
          problems.push(`${label(l)}: ${defFile} is not an OpenAPI 3 document`);
        }
        if (!hasEntries('paths')) {
          problems.push(`${label(l)}: ${defFile} has no paths`);
        }
      } else if (spec.type === 'asyncapi') {
        if (!/^[23]\.\d+\.\d+$/.test(String(doc?.asyncapi))) {
          problems.push(`${label(l)}: ${defFile} is not an AsyncAPI document`);
        }
        if (!hasEntries('channels')) {
          problems.push(`${label(l)}: ${defFile} has no channels`);
        }
      }
      if (!(doc?.info as { title?: unknown } | undefined)?.title) {
        problems.push(`${label(l)}: ${defFile} has no info.title`);
      }
      for (const ref of danglingLocalRefs(doc)) {
        problems.push(`${label(l)}: ${defFile} has a dangling $ref ${ref}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('contains the minimum sample organisation', () => {
    const problems: string[] = [];
    const expectAtLeast = (what: string, count: number, min: number) => {
      if (count < min) {
        problems.push(
          `catalog/: expected at least ${min} ${what}, found ${count}`,
        );
      }
    };
    const groups = ofKind('group');
    const teams = groups.filter(g => g.spec?.type === 'team');
    const users = ofKind('user');
    const membersOf = (group: Entity) =>
      users.filter(u =>
        refsIn(u, relationFields.user[0], () => {}).includes(refOf(group)),
      );

    if (!teams.some(g => g.metadata.name === 'platform')) {
      problems.push('catalog/: expected a Group "platform" of type team');
    }
    expectAtLeast(
      'product teams besides platform',
      teams.filter(g => g.metadata.name !== 'platform').length,
      3,
    );
    expectAtLeast(
      'organisation/department groups',
      groups.filter(g =>
        ['organization', 'org', 'department'].includes(String(g.spec?.type)),
      ).length,
      1,
    );
    for (const team of teams) {
      // 2-4 people per team; platform also has the shared guest user.
      const max = team.metadata.name === 'platform' ? 5 : 4;
      const count = membersOf(team).length;
      if (count < 2 || count > max) {
        problems.push(
          `catalog/: ${describeEntity(
            team,
          )}: has ${count} members, expected 2-${max}`,
        );
      }
    }
    const guest = users.find(u => u.metadata.name === 'guest');
    if (
      !guest ||
      !refsIn(guest, relationFields.user[0], () => {}).includes(
        'group:default/platform',
      )
    ) {
      problems.push(
        'catalog/: expected a User "guest" that is a member of platform',
      );
    }
    expectAtLeast('domains', ofKind('domain').length, 2);
    expectAtLeast('systems', ofKind('system').length, 3);
    if (!ofKind('system').some(e => e.metadata.name === 'developer-platform')) {
      problems.push('catalog/: expected a System "developer-platform"');
    }
    expectAtLeast('components', ofKind('component').length, 12);
    expectAtLeast(
      'openapi APIs',
      ofKind('api').filter(e => e.spec?.type === 'openapi').length,
      4,
    );
    expectAtLeast('resources', ofKind('resource').length, 2);
    const root = catalog.entities[0]?.entity;
    if (
      root?.kind !== 'Location' ||
      root.metadata.name !== 'paved-sample-organisation'
    ) {
      problems.push(
        'catalog/all.yaml: expected a single Location "paved-sample-organisation"',
      );
    }
    expect(problems).toEqual([]);
  });

  it('describes Paved itself in catalog-info.yaml', () => {
    const paved = portal.entities[0]?.entity;
    expect(paved).toMatchObject({
      kind: 'Component',
      metadata: { name: 'paved' },
      spec: {
        lifecycle: 'production',
        system: 'developer-platform',
      },
    });
    expect(
      parseEntityRef(String(paved?.spec?.owner), { defaultKind: 'Group' }),
    ).toEqual({ kind: 'group', namespace: 'default', name: 'platform' });
    expect(paved?.metadata.annotations ?? {}).not.toHaveProperty(
      'backstage.io/techdocs-ref',
    );
  });

  it('ships golden-path templates with the upstream step shape', () => {
    const problems: string[] = [];
    // Every template that publishes a repository, whatever its name: the
    // folder is discovered, so a new golden path is held to the same shape.
    const tpls = templates.entities.filter(
      l =>
        l.entity.kind === 'Template' &&
        ((l.entity.spec as any).steps ?? []).some(
          (s: { action: string }) => s.action === 'paved:publish',
        ),
    );
    for (const l of tpls) {
      type Property = { pattern?: string; 'ui:field'?: string };
      const spec = l.entity.spec as {
        parameters?: Array<{ properties?: Record<string, Property> }>;
        steps?: Array<{ action: string; input?: { url?: string } }>;
        output?: { links?: unknown[] };
      };
      const actions = (spec.steps ?? []).map(s => s.action);
      // In this order; a template may add steps of its own between them.
      const expected = [
        'paved:form:check',
        'fetch:template',
        'paved:provenance:record',
        'paved:publish',
        'paved:github:codeowners:create',
        'paved:github:branch:protect',
        'paved:github:team:grant',
        'catalog:register',
      ];
      const missing = expected.filter(
        (a, i) =>
          actions.indexOf(a) < 0 ||
          (i > 0 && actions.indexOf(a) < actions.indexOf(expected[i - 1])),
      );
      if (actions[0] !== 'paved:form:check' || missing.length > 0) {
        problems.push(
          `${label(l)}: unexpected steps ${actions.join(
            ', ',
          )} (expected, in order: ${expected.join(', ')})`,
        );
      }
      const fetch = spec.steps?.find(s => s.action === 'fetch:template');
      const contentDir = path.resolve(
        path.dirname(l.file),
        String(fetch?.input?.url),
      );
      if (!fs.existsSync(path.join(contentDir, 'catalog-info.yaml'))) {
        problems.push(
          `${label(l)}: ${rel(contentDir)}/catalog-info.yaml missing`,
        );
      }
      const props: Record<string, Property | undefined> = Object.assign(
        {},
        ...(spec.parameters ?? []).map(p => p.properties ?? {}),
      );
      // A DNS-1123 label; a template that runs workloads in Kubernetes
      // (a Service, a CronJob) wants one that starts with a letter.
      const namePatterns = [
        '^[a-z]([-a-z0-9]*[a-z0-9])?$',
        '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
      ];
      if (!namePatterns.includes(String(props.name?.pattern))) {
        problems.push(`${label(l)}: parameter name has the wrong pattern`);
      }
      if (props.owner?.['ui:field'] !== 'OwnerPicker') {
        problems.push(`${label(l)}: parameter owner should use OwnerPicker`);
      }
      if (props.repoUrl?.['ui:field'] !== 'RepoUrlPicker') {
        problems.push(
          `${label(l)}: parameter repoUrl should use RepoUrlPicker`,
        );
      }
      if (!spec.output?.links?.length) {
        problems.push(`${label(l)}: has no output links`);
      }
    }
    expect(tpls.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('ships the undo of the dev environment, one paved:kubernetes:namespace:delete of a picked component, and its redo', () => {
    const tpls = templates.entities.filter(
      l =>
        l.entity.kind === 'Template' &&
        (l.entity.spec as { type?: string }).type === 'environment',
    );
    const shapes = tpls.map(l => {
      const spec = l.entity.spec as {
        parameters: Array<{ properties?: Record<string, any> }>;
        steps: Array<{ action: string; input?: Record<string, unknown> }>;
      };
      const kubernetes = spec.steps.filter(st =>
        st.action.startsWith('paved:kubernetes:'),
      );
      return {
        picker: spec.parameters[0].properties?.component?.['ui:field'],
        // It acts on a component the caller's team must own: checked first.
        first: [spec.steps[0]?.action, typeof spec.steps[0]?.input?.component],
        environments: [...new Set(kubernetes.map(st => st.input?.environment))],
        actions: kubernetes.map(st => st.action),
      };
    });
    for (const shape of shapes) {
      expect(shape).toMatchObject({
        picker: 'EntityPicker',
        first: ['paved:form:check', 'string'],
        environments: ['dev'],
      });
    }
    // The undo, and its redo: a Retry of the Node.js service task runs no
    // completed step again (task recovery), so redeploying is a template too.
    expect(shapes.map(sh => sh.actions)).toEqual(
      expect.arrayContaining([
        ['paved:kubernetes:namespace:delete'],
        expect.arrayContaining([
          'paved:kubernetes:namespace:provision',
          'paved:kubernetes:apply',
          'paved:kubernetes:rollout:wait',
        ]),
      ]),
    );
  });

  it("ships the undo of a golden path's GitHub repository: archive or delete", () => {
    const tpls = templates.entities.filter(
      l =>
        l.entity.kind === 'Template' &&
        (l.entity.spec as { type?: string }).type === 'repository',
    );
    expect(tpls.length).toBeGreaterThan(0);
    for (const l of tpls) {
      const spec = l.entity.spec as {
        parameters: Array<{ properties?: Record<string, any> }>;
        steps: Array<{ action: string; if?: string }>;
      };
      expect({
        picker: spec.parameters[0].properties?.repoUrl?.['ui:field'],
        modes: spec.parameters[0].properties?.mode?.enum,
        steps: spec.steps
          .filter(st => st.action !== 'paved:form:check')
          .map(st => [st.action, st.if]),
      }).toEqual({
        picker: 'RepoUrlPicker',
        modes: ['archive', 'delete'],
        steps: [
          ['paved:github:repo:archive', "${{ parameters.mode == 'archive' }}"],
          ['paved:github:repo:delete', "${{ parameters.mode == 'delete' }}"],
        ],
      });
    }
  });

  it('ships the Terraform templates: plan, review, apply, outputs', () => {
    const tpls = templates.entities.filter(
      l =>
        l.entity.kind === 'Template' &&
        (l.entity.spec as { type?: string }).type === 'resource',
    );
    expect(tpls.length).toBeGreaterThan(0);
    for (const l of tpls) {
      const spec = l.entity.spec as {
        EXPERIMENTAL_recovery?: { EXPERIMENTAL_strategy?: string };
        steps: Array<{ action: string }>;
      };
      const actions = spec.steps.map(st => st.action);
      const order = [
        'paved:terraform:plan',
        'paved:terraform:review',
        'paved:terraform:apply',
      ].map(a => actions.indexOf(a));
      expect({
        name: l.entity.metadata.name,
        inOrder: order.every(
          (at, i) => at >= 0 && (i === 0 || at > order[i - 1]),
        ),
        // The task page's Retry button approves the plan at the review step.
        recovery: spec.EXPERIMENTAL_recovery?.EXPERIMENTAL_strategy,
      }).toEqual({
        name: l.entity.metadata.name,
        inOrder: true,
        recovery: 'startOver',
      });
    }
  });
});
