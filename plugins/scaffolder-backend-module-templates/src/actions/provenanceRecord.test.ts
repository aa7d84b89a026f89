import fs from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  declaredOutputs,
  exampleInput,
  runAction,
  testOrganisation,
} from '@paved/testkit';
import yaml from 'yaml';
import { createProvenanceRecordAction } from './provenanceRecord';
import { examples } from './provenanceRecord.examples';

const TEMPLATE = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'node-service',
    namespace: 'default',
    annotations: { 'paved.dev/template-version': '1.2.0' },
  },
  spec: {},
};

const templateInfo = {
  entityRef: 'template:default/node-service',
  entity: { metadata: TEMPLATE.metadata },
};

const CATALOG_INFO = `# The service, as the skeleton renders it.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: invoice-service # kebab-case
  annotations:
    github.com/project-slug: kestrel/invoice-service
spec:
  type: service
  owner: group:default/storefront
---
# Its API.
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: invoice-service-api
spec:
  type: openapi
`;

describe('paved:provenance:record', () => {
  const action = (entities = [...testOrganisation(), TEMPLATE as any]) =>
    createProvenanceRecordAction({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
    });
  const read = (dir: string, file: string) =>
    fs.readFileSync(path.join(dir, file), 'utf8');

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_, example) => {
      const input = exampleInput(example);
      if (typeof input.answers === 'string') {
        input.answers = { name: 'invoice-service' };
      }
      const catalogInfoPath = input.catalogInfoPath ?? 'catalog-info.yaml';
      const run = await runAction(action(), input, {
        workspace: { [catalogInfoPath]: CATALOG_INFO },
        templateInfo,
      });
      expect(run.error).toBeUndefined();
      expect(Object.keys(run.outputs).sort()).toEqual(
        declaredOutputs(action()),
      );
      const recorded = yaml.parse(
        read(run.workspacePath, '.paved/answers.yaml'),
      );
      expect(recorded.template).toBe('template:default/node-service');
      expect(recorded.answers.contactEmail).toBeUndefined();
    },
  );

  it('writes the answers without secrets and annotates only the Component, keeping comments and the other document', async () => {
    const run = await runAction(
      action(),
      {
        answers: {
          name: 'invoice-service',
          owner: 'group:default/storefront',
          apiToken: 'ghp_supersecretvalue',
          nested: { dsn: 'postgres://u:ghp_supersecretvalue@db', port: 5432 },
          tags: ['a', 'ghp_supersecretvalue'],
          notes: 'internal',
        },
        exclude: ['notes'],
      },
      {
        workspace: { 'catalog-info.yaml': CATALOG_INFO },
        secrets: { apiToken: 'ghp_supersecretvalue' },
        templateInfo,
      },
    );
    expect(run.error).toBeUndefined();
    const answers = read(run.workspacePath, '.paved/answers.yaml');
    expect(answers).not.toContain('supersecret');
    expect(yaml.parse(answers)).toEqual({
      template: 'template:default/node-service',
      version: '1.2.0',
      answers: {
        name: 'invoice-service',
        owner: 'group:default/storefront',
        nested: { port: 5432 },
        tags: ['a'],
      },
      omitted: ['apiToken', 'nested.dsn', 'notes', 'tags[1]'],
    });
    expect(answers).not.toMatch(/createdAt/);
    const catalogInfo = read(run.workspacePath, 'catalog-info.yaml');
    expect(catalogInfo).toContain('# The service, as the skeleton renders it.');
    expect(catalogInfo).toContain('name: invoice-service # kebab-case');
    const docs = yaml.parseAllDocuments(catalogInfo).map(d => d.toJS());
    expect(docs).toHaveLength(2);
    expect(docs[0].metadata.annotations).toEqual({
      'github.com/project-slug': 'kestrel/invoice-service',
      'paved.dev/template': 'template:default/node-service',
      'paved.dev/template-version': '1.2.0',
    });
    expect(docs[1].metadata.annotations).toBeUndefined();
    expect(run.outputs).toEqual({
      template: 'template:default/node-service',
      version: '1.2.0',
      answersPath: '.paved/answers.yaml',
      omitted: ['apiToken', 'nested.dsn', 'notes', 'tags[1]'],
    });
    expect(run.lines.join('\n')).not.toContain('supersecret');
  });

  it('converges: a second run writes the same bytes', async () => {
    const input = { answers: { name: 'invoice-service' } };
    const first = await runAction(action(), input, {
      workspace: { 'catalog-info.yaml': CATALOG_INFO },
      templateInfo,
    });
    const files = ['.paved/answers.yaml', 'catalog-info.yaml'].map(f =>
      read(first.workspacePath, f),
    );
    const second = await runAction(action(), input, {
      workspace: {
        'catalog-info.yaml': files[1],
        '.paved/answers.yaml': files[0],
      },
      templateInfo,
    });
    expect(second.error).toBeUndefined();
    expect(read(second.workspacePath, '.paved/answers.yaml')).toBe(files[0]);
    expect(read(second.workspacePath, 'catalog-info.yaml')).toBe(files[1]);
  });

  it('reads the version from the catalogue when the task carries only the ref', async () => {
    const run = await runAction(
      action(),
      { answers: {} },
      {
        workspace: { 'catalog-info.yaml': CATALOG_INFO },
        templateInfo: { entityRef: templateInfo.entityRef },
      },
    );
    expect(run.error).toBeUndefined();
    expect(run.outputs.version).toBe('1.2.0');
  });

  it('refuses a template without a version, a missing file and a path outside the workspace', async () => {
    const unversioned = await runAction(
      action([]),
      { answers: {} },
      {
        workspace: { 'catalog-info.yaml': CATALOG_INFO },
        templateInfo: { entityRef: 'template:default/old' },
      },
    );
    expect(unversioned.error?.message).toMatch(
      /template:default\/old carries no paved.dev\/template-version annotation/,
    );
    const missing = await runAction(
      action(),
      { answers: {} },
      { workspace: {}, templateInfo },
    );
    expect(missing.error?.message).toMatch(
      /catalogInfoPath: the workspace has no catalog-info.yaml/,
    );
    const outside = await runAction(
      action(),
      { answers: {}, catalogInfoPath: '../../etc/passwd' },
      { workspace: {}, templateInfo },
    );
    expect(outside.error?.message).toMatch(/outside|not allowed/i);
    const noComponent = await runAction(
      action(),
      { answers: {} },
      {
        workspace: { 'catalog-info.yaml': 'kind: API\nmetadata:\n  name: x\n' },
        templateInfo,
      },
    );
    expect(noComponent.error?.message).toMatch(/holds no Component document/);
    for (const run of [unversioned, missing, noComponent]) {
      expect(fs.existsSync(path.join(run.workspacePath, '.paved'))).toBe(false);
    }
  });
});
