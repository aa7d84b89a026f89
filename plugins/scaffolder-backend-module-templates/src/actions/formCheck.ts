import { createHash } from 'node:crypto';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { examples } from './formCheck.examples';
import {
  FormCheckCall,
  FormCheckDeps,
  FormProblem,
  componentProblem,
  nameProblem,
  ownerProblem,
  repoUrlProblem,
} from './formProblems';
import { ValuesOf, Zod } from './schema';

const input = {
  name: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'The name the template gives what it creates: refused when the catalogue already holds <kind>:default/<name>.',
      ),
  kind: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        "The kind of entity the name is for, e.g. Component or Resource. Default 'Component'.",
      ),
  owner: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'The group that will own what the template creates: refused unless it is a catalogue Group the task initiator belongs to (or the initiator is an admin).',
      ),
  repoUrl: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'Where paved:publish will create the repository (host?owner=<owner>&repo=<name>): refused when a repository with content already exists there.',
      ),
  component: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'An existing component the template acts on (component:default/<name> or <name>): refused unless the catalogue holds it and one of the initiator’s teams owns it.',
      ),
};

const output = {
  checked: (z: Zod) =>
    z
      .array(z.string())
      .describe('The fields that were checked and passed, in input order.'),
};

type FormCheckContext = ActionContext<
  ValuesOf<typeof input>,
  ValuesOf<typeof output>
>;

const FIELDS = ['name', 'owner', 'repoUrl', 'component'] as const;

/**
 * Creates `paved:form:check`, the first step of every golden-path template:
 * it reads the catalogue, the caller's teams and the publishers, writes
 * nothing, and refuses the form naming every field that fails at once,
 * before any later step creates anything. A passed check is a checkpoint,
 * so a retried task does not refuse the name and repository its own earlier
 * run created.
 *
 * @public
 */
export function createFormCheckAction(deps: FormCheckDeps) {
  return createTemplateAction({
    id: 'paved:form:check',
    description:
      "Refuses a form's answers before anything is created: a name the catalogue holds, a repository that exists, an owner that is not a group you belong to, a component your teams don't own. Read-only.",
    examples,
    supportsDryRun: true,
    schema: { input, output },
    handler: ctx => check(ctx as FormCheckContext, deps),
  });
}

/** The checkpoint key: the answers checked, hashed (they are not secret, but keys stay short). */
function keyOf(values: Record<string, unknown>) {
  const digest = createHash('sha256')
    .update(JSON.stringify(values))
    .digest('hex')
    .slice(0, 16);
  return `paved.form.check.${digest}`;
}

async function check(ctx: FormCheckContext, deps: FormCheckDeps) {
  const { name, kind = 'Component', owner, repoUrl, component } = ctx.input;
  const present = FIELDS.filter(f => ctx.input[f] !== undefined);
  const checked = await ctx.checkpoint({
    key: keyOf({ name, kind, owner, repoUrl, component }),
    fn: async () => {
      const call: FormCheckCall = {
        credentials: await ctx.getInitiatorCredentials(),
        logger: ctx.logger,
      };
      const found = await Promise.all([
        name !== undefined ? nameProblem(deps, name, kind) : undefined,
        owner !== undefined ? ownerProblem(deps, call, owner) : undefined,
        repoUrl !== undefined ? repoUrlProblem(deps, call, repoUrl) : undefined,
        component !== undefined
          ? componentProblem(deps, call, component)
          : undefined,
      ]);
      refuse(found.filter((p): p is FormProblem => p !== undefined));
      return present;
    },
  });
  ctx.logger.info(
    checked.length > 0
      ? `The form's ${checked.join(', ')} passed the checks`
      : 'No field to check',
  );
  ctx.output('checked', checked);
}

/** One error naming every failing field: NotAllowedError when the caller was refused, else InputError. */
function refuse(problems: FormProblem[]) {
  if (problems.length === 0) return;
  const message = `The form cannot be used as filled in: ${problems
    .map(p => p.message)
    .join('; ')}`;
  if (problems.some(p => p.refused)) throw new NotAllowedError(message);
  throw new InputError(message);
}
