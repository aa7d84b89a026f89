import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';

/** The repository's templates folder. */
export const TEMPLATES_DIR = path.resolve(__dirname, '../../../../templates');

/** A template folder as the scaffolder's dry run takes it (`directoryContents`). */
function templateFiles(
  dir: string,
  base = dir,
): { path: string; base64Content: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory()
      ? templateFiles(full, base)
      : [
          {
            path: path.relative(base, full).split(path.sep).join('/'),
            base64Content: fs.readFileSync(full).toString('base64'),
          },
        ];
  });
}

/** Files by path, relative to the workspace, as a template step rendered them. */
export type RenderedFiles = Map<string, Buffer>;

/**
 * A scaffolder backend (the real one, no other plugins) that renders
 * templates' steps through its dry run: the template's own step inputs,
 * `fetch:template` and its nunjucks, exactly as "Create Component" runs them.
 */
export async function startTemplateRenderer() {
  const backend = await startTestBackend({
    features: [
      scaffolderBackend,
      mockServices.rootConfig.factory({
        data: { permission: { enabled: false } },
      }),
    ],
  });
  const url = `http://localhost:${backend.server.port()}/api/scaffolder/v2/dry-run`;
  return {
    /**
     * Runs only `steps` of templates/<name>/template.yaml with `values` as
     * the form's answers; returns the workspace they leave.
     */
    async render(
      name: string,
      values: Record<string, unknown>,
      steps: string[] = ['fetch-base'],
    ): Promise<RenderedFiles> {
      const dir = path.join(TEMPLATES_DIR, name);
      const template = parseYaml(
        fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8'),
      );
      template.spec.steps = template.spec.steps.filter((s: any) =>
        steps.includes(s.id),
      );
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          Authorization: mockCredentials.user.header(),
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          template,
          values,
          directoryContents: templateFiles(dir),
        }),
      });
      const body = await response.json();
      if (response.status !== 200) {
        throw new Error(
          `dry run of ${name} failed (${response.status}): ${JSON.stringify(
            body.error ?? body,
          )}`,
        );
      }
      return new Map(
        body.directoryContents.map((f: any) => [
          f.path,
          Buffer.from(f.base64Content, 'base64'),
        ]),
      );
    },
    stop: () => backend.stop(),
  };
}

/** Writes rendered files under `dir`. */
export function writeFiles(files: RenderedFiles, dir: string): void {
  for (const [file, content] of files) {
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
}
