import fs from 'node:fs/promises';
import path from 'node:path';
import {
  AuthService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { examples } from './provenanceRecord.examples';
import {
  Provenance,
  TEMPLATE_VERSION_ANNOTATION,
  annotatedCatalogInfo,
  answersFile,
  answersWithoutSecrets,
} from './provenanceFiles';
import { ValuesOf, Zod } from './schema';

/** Where the answers go in the repository. */
export const ANSWERS_PATH = '.paved/answers.yaml';

const input = {
  answers: (z: Zod) =>
    z
      .record(z.any())
      .describe(
        "The form's answers: ${{ parameters }}. Secrets, the fields named in exclude, and any value holding a secret's value are left out.",
      ),
  catalogInfoPath: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        "The catalogue file in the workspace whose Component documents get the annotations. Default 'catalog-info.yaml'.",
      ),
  exclude: (z: Zod) =>
    z
      .array(z.string())
      .optional()
      .describe(
        'Fields of answers to leave out of .paved/answers.yaml (secrets need not be listed: they never reach it).',
      ),
};

const output = {
  template: (z: Zod) =>
    z.string().describe('The template entity ref recorded.'),
  version: (z: Zod) =>
    z.string().describe("The template's paved.dev/template-version recorded."),
  answersPath: (z: Zod) =>
    z
      .string()
      .describe('The answers file in the workspace: .paved/answers.yaml.'),
  omitted: (z: Zod) =>
    z
      .array(z.string())
      .describe('The answer fields left out (excluded or holding a secret).'),
};

type ProvenanceContext = ActionContext<
  ValuesOf<typeof input>,
  ValuesOf<typeof output>
>;

/** What the action reads the template from when the task does not carry it. */
export interface ProvenanceDeps {
  catalog: CatalogService;
  auth: AuthService;
}

/**
 * Creates `paved:provenance:record`: after fetch:template and before
 * paved:publish, it writes the template, its version and the answers
 * (secrets excluded) to `.paved/answers.yaml` and annotates the Component
 * documents of catalog-info.yaml with `paved.dev/template` and
 * `paved.dev/template-version`. It writes only the workspace, the same
 * bytes each run, so a retried task converges and a dry run shows the files.
 *
 * @public
 */
export function createProvenanceRecordAction(deps: ProvenanceDeps) {
  return createTemplateAction({
    id: 'paved:provenance:record',
    description:
      'Records which template and version made the component: .paved/answers.yaml (secrets excluded) and the paved.dev/template and paved.dev/template-version annotations in catalog-info.yaml.',
    examples,
    supportsDryRun: true,
    schema: { input, output },
    handler: ctx => record(ctx as ProvenanceContext, deps),
  });
}

/** The template ref and version, from the task, else from the catalogue. */
async function provenanceOf(
  ctx: ProvenanceContext,
  deps: ProvenanceDeps,
): Promise<Provenance> {
  const template = ctx.templateInfo?.entityRef;
  if (!template) {
    throw new InputError(
      'paved:provenance:record runs in a template task: the task names no template (templateInfo.entityRef)',
    );
  }
  let metadata = ctx.templateInfo?.entity?.metadata;
  if (!metadata) {
    const entity = await deps.catalog.getEntityByRef(template, {
      credentials: await deps.auth.getOwnServiceCredentials(),
    });
    metadata = entity?.metadata;
  }
  const version = metadata?.annotations?.[TEMPLATE_VERSION_ANNOTATION];
  if (!version) {
    throw new InputError(
      `${template} carries no ${TEMPLATE_VERSION_ANNOTATION} annotation; expected the template's semver, e.g. ${TEMPLATE_VERSION_ANNOTATION}: 1.0.0 (templates/README.md)`,
    );
  }
  return { template, version };
}

async function record(ctx: ProvenanceContext, deps: ProvenanceDeps) {
  const provenance = await provenanceOf(ctx, deps);
  const catalogInfoPath = ctx.input.catalogInfoPath ?? 'catalog-info.yaml';
  const catalogFile = resolveSafeChildPath(ctx.workspacePath, catalogInfoPath);
  const source = await fs.readFile(catalogFile, 'utf8').catch(error => {
    if (error?.code !== 'ENOENT') throw error;
    throw new InputError(
      `catalogInfoPath: the workspace has no ${catalogInfoPath}; expected the catalogue file fetch:template rendered (run this step after it)`,
    );
  });
  const annotated = annotatedCatalogInfo(source, provenance);
  if (annotated === undefined) {
    throw new InputError(
      `catalogInfoPath: ${catalogInfoPath} holds no Component document; expected the component's catalogue file`,
    );
  }
  const answers = answersWithoutSecrets(ctx.input.answers, {
    exclude: ctx.input.exclude ?? [],
    secrets: ctx.secrets ?? {},
  });
  const answersFileName = resolveSafeChildPath(ctx.workspacePath, ANSWERS_PATH);
  await fs.mkdir(path.dirname(answersFileName), { recursive: true });
  await fs.writeFile(answersFileName, answersFile(provenance, answers));
  await fs.writeFile(catalogFile, annotated);
  ctx.logger.info(
    `Recorded ${provenance.template} at version ${
      provenance.version
    } in ${ANSWERS_PATH} and ${catalogInfoPath}${
      answers.omitted.length > 0
        ? `, leaving out ${answers.omitted.join(', ')}`
        : ''
    }`,
  );
  ctx.output('template', provenance.template);
  ctx.output('version', provenance.version);
  ctx.output('answersPath', ANSWERS_PATH);
  ctx.output('omitted', answers.omitted);
}
