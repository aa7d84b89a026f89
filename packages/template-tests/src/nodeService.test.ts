/*
 * What the node-service template renders, checked file by file without
 * running it (nodeServiceRuns.test.ts runs it): code copied verbatim, a
 * lockfile that matches package.json, a workflow a GitHub workflow validator
 * accepts, a Dockerfile whose user is the manifests' runAsUser, a catalogue
 * file with a valid Component and API, and the CODEOWNERS that
 * paved:github:codeowners:create writes.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { codeOwnerFor, codeOwnersContent } from '@paved/plugin-github-node';
import { parseDockerfile } from './__testUtils__/dockerfile';
import {
  RenderedFiles,
  TEMPLATES_DIR,
  startTemplateRenderer,
} from './__testUtils__/renderTemplate';

const CONTENT = path.join(TEMPLATES_DIR, 'node-service/content');
const values = {
  name: 'invoice-service',
  // Quotes and a backslash: the YAML and JSON files must still parse.
  description: 'Invoices: "issued" \\ paid',
  owner: 'group:default/fulfilment',
  system: 'billing',
  repoUrl: 'github.com?owner=kestrel&repo=invoice-service',
  deploy: false,
};

const text = (files: RenderedFiles, file: string) => {
  const content = files.get(file);
  if (!content) throw new Error(`${file} was not rendered`);
  return content.toString('utf8');
};

function contentFiles(dir = CONTENT): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap(e =>
      e.isDirectory()
        ? contentFiles(path.join(dir, e.name))
        : [
            path
              .relative(CONTENT, path.join(dir, e.name))
              .split(path.sep)
              .join('/'),
          ],
    );
}

describe('the node-service template, rendered', () => {
  jest.setTimeout(60_000);
  let renderer: Awaited<ReturnType<typeof startTemplateRenderer>>;
  let files: RenderedFiles;

  beforeAll(async () => {
    renderer = await startTemplateRenderer();
    files = await renderer.render('node-service', values);
  });
  afterAll(() => renderer?.stop());

  it('renders every file, and copies those without placeholders byte for byte', () => {
    expect([...files.keys()].sort()).toEqual(contentFiles().sort());
    const verbatim = contentFiles().filter(
      f =>
        !/\$\{\{|\{%|\{#/.test(fs.readFileSync(path.join(CONTENT, f), 'utf8')),
    );
    expect(verbatim).toEqual(
      expect.arrayContaining(['src/index.ts', 'Dockerfile']),
    );
    for (const f of verbatim) {
      expect([f, text(files, f)]).toEqual([
        f,
        fs.readFileSync(path.join(CONTENT, f), 'utf8'),
      ]);
    }
  });

  it('gives package.json and its lockfile the service name, and the lockfile matches package.json', () => {
    const pkg = JSON.parse(text(files, 'package.json'));
    const lock = JSON.parse(text(files, 'package-lock.json'));
    expect(pkg.name).toBe('invoice-service');
    expect(lock.name).toBe('invoice-service');
    const root = lock.packages[''];
    expect(root).toMatchObject({
      name: 'invoice-service',
      version: pkg.version,
      dependencies: pkg.dependencies,
      devDependencies: pkg.devDependencies,
    });
    // Every package pinned by integrity, from the public registry.
    const pinned = Object.entries<any>(lock.packages).filter(([p]) => p !== '');
    expect(pinned.length).toBeGreaterThan(10);
    for (const [p, entry] of pinned) {
      expect([p, entry.integrity]).toEqual([
        p,
        expect.stringMatching(/^sha512-/),
      ]);
      expect([p, entry.resolved]).toEqual([
        p,
        expect.stringMatching(/^https:\/\/registry\.npmjs\.org\//),
      ]);
    }
  });

  describe('the CI workflow', () => {
    const dir = createMockDirectory();
    const validator = require.resolve('@action-validator/cli/cli.mjs');
    const validate = (file: string) =>
      spawnSync(process.execPath, [validator, file], { encoding: 'utf8' });

    it('passes action-validator, which refuses a broken copy', () => {
      const workflow = text(files, '.github/workflows/ci.yaml');
      dir.setContent({
        'ci.yaml': workflow,
        'broken.yaml': workflow.replace(
          'runs-on: ubuntu-latest',
          'runs_on: ubuntu-latest',
        ),
      });
      const good = validate(path.join(dir.path, 'ci.yaml'));
      expect({ status: good.status, stderr: good.stderr }).toEqual({
        status: 0,
        stderr: '',
      });
      const bad = validate(path.join(dir.path, 'broken.yaml'));
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/runs_on/);
    });

    it('runs lint and test on pull requests, and image then deploy only on pushes to main', () => {
      const doc = parseYaml(text(files, '.github/workflows/ci.yaml'));
      expect(Object.keys(doc.on)).toEqual(['push', 'pull_request']);
      expect(doc.on.push.branches).toEqual(['main']);
      const { lint, test, image, deploy } = doc.jobs;
      expect(Object.keys(doc.jobs)).toEqual([
        'lint',
        'test',
        'image',
        'deploy',
      ]);
      // No `if`: what paved:github:branch:protect requires (workflowChecks.ts).
      for (const job of [lint, test]) {
        expect(job.if).toBeUndefined();
        expect(job.steps.map((s: any) => s.run).filter(Boolean)).toContain(
          'npm ci',
        );
      }
      expect(lint.steps.map((s: any) => s.run)).toContain('npm run lint');
      expect(test.steps.map((s: any) => s.run)).toEqual(
        expect.arrayContaining(['npm test', 'npm run build']),
      );
      const onMain =
        "github.event_name == 'push' && github.ref == 'refs/heads/main'";
      expect(image).toMatchObject({
        needs: ['lint', 'test'],
        if: onMain,
        permissions: { contents: 'read', packages: 'write' },
      });
      const imageRuns = image.steps.map((s: any) => s.run ?? '').join('\n');
      expect(imageRuns).toContain(
        'ghcr.io/${GITHUB_REPOSITORY,,}:${GITHUB_SHA}',
      );
      expect(imageRuns).toContain('docker login ghcr.io');
      expect(imageRuns).toContain('--password-stdin');
      expect(image.steps.find((s: any) => s.env?.TOKEN)?.env.TOKEN).toBe(
        '${{ secrets.GITHUB_TOKEN }}',
      );
      expect(deploy).toMatchObject({
        needs: 'image',
        if: onMain,
        permissions: { contents: 'read', 'id-token': 'write' },
      });
      expect(deploy.steps[0].env).toEqual({
        PAVED_URL: '${{ vars.PAVED_URL }}',
        ENTITY_REF: '${{ vars.CATALOG_ENTITY }}',
        IMAGE: '${{ needs.image.outputs.image }}',
      });
    });

    it('deploys with the OIDC token for audience paved, which it never prints or passes on a command line', () => {
      const doc = parseYaml(text(files, '.github/workflows/ci.yaml'));
      const script: string = doc.jobs.deploy.steps[0].run;
      expect(script).toContain(
        '"${ACTIONS_ID_TOKEN_REQUEST_URL}&audience=paved"',
      );
      expect(script).toContain('"$ACTIONS_ID_TOKEN_REQUEST_TOKEN"');
      expect(script).toContain('"$PAVED_URL/api/deploy/deployments"');
      expect(script).toContain('--fail-with-body');
      expect(script).toContain('environment: "dev"');
      expect(script).not.toMatch(/set -[a-z]*x|echo[^\n]*\$\{?token|add-mask/);
      // Headers with a token reach curl on stdin (-H @-), as printf is a shell builtin.
      expect(script.match(/Authorization: Bearer/g)).toHaveLength(2);
      expect(
        script.match(/printf 'Authorization: Bearer %s\\n'/g),
      ).toHaveLength(2);
      expect(script).not.toMatch(/-H "Authorization/);
    });
  });

  it("builds an image whose user is the manifests' runAsUser:runAsGroup, without dev dependencies", () => {
    const stages = parseDockerfile(text(files, 'Dockerfile'));
    const final = stages[stages.length - 1];
    expect(final.image).toMatch(
      /^node:22-alpine$|^gcr\.io\/distroless\/nodejs22/,
    );
    const users = final.instructions.filter(i => i.keyword === 'USER');
    const deployment = parseYaml(text(files, 'kubernetes/deployment.yaml'));
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const { runAsUser, runAsGroup } = pod.securityContext;
    expect(users.map(u => u.args)).toEqual([`${runAsUser}:${runAsGroup}`]);
    expect(runAsUser).not.toBe(0);
    expect(runAsGroup).not.toBe(0);
    // The runtime stage installs nothing; its node_modules come from a stage
    // that installed production dependencies only.
    expect(final.instructions.filter(i => i.keyword === 'RUN')).toEqual([]);
    const modules = final.instructions.filter(
      i => i.keyword === 'COPY' && /node_modules/.test(i.args),
    );
    expect(modules).toHaveLength(1);
    const from = /--from=(\S+)/.exec(modules[0].args)?.[1];
    const source = stages.find(s => s.name === from)!;
    const installs = source.instructions.filter(i =>
      /\bnpm (ci|install)\b/.test(i.args),
    );
    expect(installs.map(i => i.args)).toEqual([
      expect.stringMatching(/^npm ci --omit=dev\b/),
    ]);
    // The build stage installs from the lockfile too.
    expect(stages[0].instructions.map(i => i.args)).toContain(
      'npm ci --no-audit --no-fund',
    );
    // What the Dockerfile copies from the context exists, and .dockerignore lets it in.
    const allowed = text(files, '.dockerignore')
      .split('\n')
      .filter(l => l.startsWith('!'))
      .map(l => l.slice(1).replace(/\/$/, ''));
    for (const copy of stages.flatMap(s => s.instructions)) {
      if (copy.keyword !== 'COPY' || copy.args.startsWith('--from')) continue;
      const sources = copy.args.split(/\s+/).slice(0, -1);
      for (const src of sources) {
        expect([src, allowed.includes(src)]).toEqual([src, true]);
        expect([
          src,
          [...files.keys()].some(f => f === src || f.startsWith(`${src}/`)),
        ]).toEqual([src, true]);
      }
    }
  });

  it("listens where the Deployment's port and probes expect, and the probes are in the API", () => {
    const stages = parseDockerfile(text(files, 'Dockerfile'));
    const final = stages[stages.length - 1];
    const container = parseYaml(text(files, 'kubernetes/deployment.yaml')).spec
      .template.spec.containers[0];
    const port = container.ports.find(
      (p: any) => p.name === 'http',
    ).containerPort;
    expect(final.instructions).toContainEqual({
      keyword: 'EXPOSE',
      args: String(port),
    });
    expect(container.env).toContainEqual({ name: 'PORT', value: String(port) });
    const api = parseYaml(text(files, 'openapi.yaml'));
    expect(container.livenessProbe.httpGet).toEqual({
      path: '/healthz',
      port: 'http',
    });
    expect(container.readinessProbe.httpGet).toEqual({
      path: '/readyz',
      port: 'http',
    });
    expect(Object.keys(api.paths)).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/readyz',
        '/metrics',
        '/openapi.yaml',
      ]),
    );
  });

  describe('catalog-info.yaml', () => {
    const policy = EntityPolicies.allOf([
      new DefaultNamespaceEntityPolicy(),
      new NoForeignRootFieldsEntityPolicy(),
      new FieldFormatEntityPolicy(),
      new SchemaValidEntityPolicy(),
    ]);
    const entities = async (f: RenderedFiles): Promise<Entity[]> => {
      const docs = parseAllDocuments(text(f, 'catalog-info.yaml'));
      expect(docs.flatMap(d => d.errors)).toEqual([]);
      return Promise.all(
        docs.map(d => policy.enforce(d.toJS()) as Promise<Entity>),
      );
    };

    it('holds a valid Component that provides a valid API, defined by openapi.yaml', async () => {
      const [component, api] = await entities(files);
      await expect(
        componentEntityV1alpha1Validator.check(component),
      ).resolves.toBe(true);
      // The catalogue replaces $text with the file's content before validating.
      expect(api.spec!.definition).toEqual({ $text: './openapi.yaml' });
      const resolved = {
        ...api,
        spec: { ...api.spec, definition: text(files, 'openapi.yaml') },
      };
      await expect(apiEntityV1alpha1Validator.check(resolved)).resolves.toBe(
        true,
      );
      expect(component.metadata).toMatchObject({
        name: 'invoice-service',
        description: values.description,
        annotations: {
          'github.com/project-slug': 'kestrel/invoice-service',
          'backstage.io/kubernetes-id': 'invoice-service',
          'backstage.io/techdocs-ref': 'dir:.',
        },
      });
      expect(component.spec).toMatchObject({
        type: 'service',
        owner: 'group:default/fulfilment',
        system: 'billing',
        providesApis: ['invoice-service'],
      });
      expect(api.metadata.name).toBe('invoice-service');
      expect(api.spec).toEqual({
        type: 'openapi',
        lifecycle: 'experimental',
        owner: 'group:default/fulfilment',
        system: 'billing',
        definition: { $text: './openapi.yaml' },
      });
      const doc = parseYaml(text(files, 'openapi.yaml'));
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.info).toMatchObject({
        title: 'invoice-service',
        description: values.description,
      });
    });

    it("has TechDocs' mkdocs.yml, whose pages exist", () => {
      const mkdocs = parseYaml(text(files, 'mkdocs.yml'));
      expect(mkdocs.site_name).toBe('invoice-service');
      expect(mkdocs.plugins).toContain('techdocs-core');
      const pages = mkdocs.nav.flatMap((n: Record<string, string>) =>
        Object.values(n),
      );
      expect(pages).toContain('index.md');
      for (const page of pages) expect(files.has(`docs/${page}`)).toBe(true);
    });

    it('leaves out the system when none was picked, and names a user owner as the code owner', async () => {
      const other = await renderer.render('node-service', {
        ...values,
        system: undefined,
        owner: 'user:default/jdoe',
      });
      const [component, api] = await entities(other);
      expect(component.spec!.system).toBeUndefined();
      expect(api.spec!.system).toBeUndefined();
      expect(text(other, '.github/CODEOWNERS')).toBe(
        codeOwnersContent(
          [codeOwnerFor('user:default/jdoe', 'kestrel')],
          'user:default/jdoe',
        ),
      );
    });
  });

  it("sets the Actions variable PAVED_URL to the backend's external URL, in both configurations", () => {
    const template = parseYaml(
      fs.readFileSync(
        path.join(TEMPLATES_DIR, 'node-service/template.yaml'),
        'utf8',
      ),
    );
    const variables = template.spec.steps.find(
      (s: any) => s.id === 'variables',
    );
    expect(variables.input.variables.PAVED_URL).toBe(
      '${{ environment.parameters.pavedUrl }}',
    );
    for (const file of ['app-config.yaml', 'app-config.production.yaml']) {
      const config = parseYaml(
        fs.readFileSync(path.join(TEMPLATES_DIR, '..', file), 'utf8'),
      );
      expect([
        file,
        config.scaffolder.defaultEnvironment.parameters.pavedUrl,
      ]).toEqual([file, config.backend.baseUrl]);
    }
  });

  it('has the CODEOWNERS that paved:github:codeowners:create writes, so that step finds it unchanged', () => {
    expect(text(files, '.github/CODEOWNERS')).toBe(
      codeOwnersContent([codeOwnerFor(values.owner, 'kestrel')], values.owner),
    );
    expect(text(files, '.github/CODEOWNERS')).toContain(
      '* @kestrel/fulfilment\n',
    );
  });
});
