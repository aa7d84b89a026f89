/*
 * The GitHub driver as the backend wires it: the embedded default (no GitHub
 * integration) boots with the paved:github:* actions beside upstream's
 * GitHub module, and both golden-path templates run their hardening steps
 * in a dry run, each skipping with one log line as the repository lives on
 * the local forge.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigSources } from '@backstage/config-loader';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import upstreamGitHubActions from '@backstage/plugin-scaffolder-backend-module-github';
import pavedGitHubActions from '@paved/plugin-scaffolder-backend-module-github';

const ROOT = path.resolve(__dirname, '../../..');

async function embeddedDefault() {
  const source = ConfigSources.default({
    argv: ['--config', path.join(ROOT, 'app-config.yaml')],
    substitutionFunc: async () => undefined,
  });
  // Less `backend` (the test backend has its own port), and permissions off:
  // the permission backend is not part of this test.
  const { backend: _backend, ...data } = (
    await ConfigSources.toConfig(source)
  ).get() as any;
  return { ...data, permission: { enabled: false } };
}

function filesOf(
  dir: string,
  base = dir,
): { path: string; base64Content: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory()
      ? filesOf(full, base)
      : [
          {
            path: path.relative(base, full).split(path.sep).join('/'),
            base64Content: fs.readFileSync(full).toString('base64'),
          },
        ];
  });
}

describe('the GitHub driver in the backend', () => {
  jest.setTimeout(60_000);
  let baseUrl: string;
  const caller = mockCredentials.service.header();

  beforeAll(async () => {
    const data = await embeddedDefault();
    if (JSON.stringify(data.integrations) !== '{}') {
      throw new Error(
        'app-config.yaml is expected to configure no integrations',
      );
    }
    const { server } = await startTestBackend({
      features: [
        scaffolderBackend,
        upstreamGitHubActions,
        pavedGitHubActions,
        mockServices.rootConfig.factory({ data }),
      ],
    });
    baseUrl = `http://localhost:${server.port()}/api/scaffolder`;
  });

  it('boots the embedded default with the paved:github:* actions, none clashing with upstream ids', async () => {
    const res = await fetch(`${baseUrl}/v2/actions`, {
      headers: { Authorization: caller },
    });
    expect(res.status).toBe(200);
    const ids: string[] = (await res.json()).map((a: { id: string }) => a.id);
    expect(ids.filter(id => id.startsWith('paved:github:')).sort()).toEqual([
      'paved:github:branch:protect',
      'paved:github:codeowners:create',
      'paved:github:environments:create',
      'paved:github:pull-request:open',
      'paved:github:secrets:set',
      'paved:github:team:grant',
      'paved:github:variables:set',
    ]);
    expect(ids).toContain('publish:github');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(['node-service', 'static-website'])(
    'runs the hardening steps of the %s template in a dry run, each skipped on the local forge',
    async name => {
      const dir = path.join(ROOT, 'templates', name);
      const template = parseYaml(
        fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8'),
      );
      const hardening = template.spec.steps.filter((s: any) =>
        s.action.startsWith('paved:github:'),
      );
      expect(hardening.map((s: any) => s.action)).toEqual([
        'paved:github:codeowners:create',
        'paved:github:branch:protect',
        'paved:github:environments:create',
        'paved:github:variables:set',
        'paved:github:team:grant',
      ]);
      const publishAt = template.spec.steps.findIndex(
        (s: any) => s.id === 'publish',
      );
      expect(
        template.spec.steps.findIndex((s: any) => s.id === hardening[0].id),
      ).toBeGreaterThan(publishAt);
      const res = await fetch(`${baseUrl}/v2/dry-run`, {
        method: 'POST',
        headers: { Authorization: caller, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          template,
          values: {
            name: 'invoice-service',
            description: 'Invoices',
            owner: 'group:default/fulfilment',
            repoUrl: 'github.com?owner=kestrel&repo=invoice-service',
          },
          directoryContents: filesOf(dir),
        }),
      });
      const body = await res.json();
      expect(res.status).toBe(200);
      // Task log lines read "<level>: <message>", the level coloured.
      const messages: string[] = body.log.map((l: any) =>
        String(l.body.message)
          .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '')
          .replace(/^\w+: /, ''),
      );
      const skipped = messages.filter(m =>
        m.includes('lives on the local forge'),
      );
      expect(skipped).toEqual([
        'kestrel/invoice-service lives on the local forge: .github/CODEOWNERS skipped',
        'kestrel/invoice-service lives on the local forge: branch protection skipped',
        'kestrel/invoice-service lives on the local forge: environments development, staging, production skipped',
        'kestrel/invoice-service lives on the local forge: Actions variables CATALOG_ENTITY, OWNER skipped',
        'kestrel/invoice-service lives on the local forge: the maintain role of team fulfilment skipped',
      ]);
      // The required checks came from the template's CI workflow.
      expect(messages).toContain(
        'Required status checks from .github/workflows: build',
      );
      expect(body.log.filter((l: any) => l.body.status === 'failed')).toEqual(
        [],
      );
    },
  );
});
