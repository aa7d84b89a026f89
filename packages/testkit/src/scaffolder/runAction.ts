import {
  createMockDirectory,
  mockCredentials,
} from '@backstage/backend-test-utils';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';

/** What {@link runAction} saw of one run of an action. */
export interface ActionRun {
  /** Every output the action set. */
  outputs: Record<string, any>;
  /** Its log lines, `level: message`. */
  lines: string[];
  /** The checkpoint keys it asked for, in order. */
  keys: string[];
  /** The checkpoints' values: pass it to the next run to resume as a retried task does. */
  store: Map<string, unknown>;
  /** What it threw, if it did. */
  error?: any;
  workspacePath: string;
}

/**
 * Runs an action with a mock context that records its outputs, log lines
 * and checkpoint keys. Checkpoints keep their results in `store`: a second
 * run with the same store resumes as a retried task does.
 */
export async function runAction(
  action: TemplateAction<any, any, any>,
  input: Record<string, unknown>,
  options: {
    workspace?: Record<string, string>;
    secrets?: Record<string, string>;
    isDryRun?: boolean;
    store?: Map<string, unknown>;
    /**
     * The user who started the task (`user:default/lena-fischer`): the
     * action's ctx.user and its initiator credentials. Default: the mock
     * context's user:default/mock.
     */
    user?: string;
    /** The task's id (ctx.task.id). */
    taskId?: string;
    /** The template the task runs (ctx.templateInfo). */
    templateInfo?: {
      entityRef: string;
      entity?: { metadata: { name: string; [key: string]: any } };
    };
  } = {},
): Promise<ActionRun> {
  const dir = createMockDirectory();
  dir.setContent(options.workspace ?? {});
  const lines: string[] = [];
  // As the scaffolder's task log shows a line: its fields as JSON after it.
  const log = (level: string) => (message: string, meta?: object) =>
    lines.push(
      `${level}: ${message}${
        meta && Object.keys(meta).length > 0 ? ` ${JSON.stringify(meta)}` : ''
      }`,
    );
  const logger: any = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => logger,
  };
  const keys: string[] = [];
  const store = options.store ?? new Map<string, unknown>();
  const base = createMockActionContext({
    input: input as any,
    workspacePath: dir.path,
    secrets: options.secrets,
    logger,
    ...(options.user && {
      user: { ref: options.user } as any,
    }),
    ...(options.taskId && { task: { id: options.taskId } }),
    ...(options.templateInfo && { templateInfo: options.templateInfo }),
  });
  const ctx = {
    ...base,
    isDryRun: options.isDryRun ?? false,
    ...(options.user && {
      getInitiatorCredentials: async () => mockCredentials.user(options.user),
    }),
    async checkpoint({ key, fn }: { key: string; fn: () => Promise<any> }) {
      keys.push(key);
      if (store.has(key)) return store.get(key);
      const value = await fn();
      store.set(key, JSON.parse(JSON.stringify(value ?? null)));
      return value;
    },
  };
  let error: any;
  try {
    await action.handler(ctx as any);
  } catch (e) {
    error = e;
  }
  const outputs: Record<string, unknown> = Object.fromEntries(
    (base.output as jest.Mock).mock.calls,
  );
  return { outputs, lines, keys, store, error, workspacePath: dir.path };
}

/** Every output an action declares. */
export function declaredOutputs(
  action: TemplateAction<any, any, any>,
): string[] {
  const schema: any = action.schema?.output;
  return Object.keys(schema?.properties ?? schema?.shape ?? {}).sort();
}

/** The input of the first step of an example. */
export function exampleInput(example: string): any {
  return yaml.parse(example).steps[0].input;
}
