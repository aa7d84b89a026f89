import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { signalGroup, TerraformProcesses } from './TerraformProcesses';

/**
 * One line of terraform's `-json` output stream.
 *
 * @public
 */
export interface TerraformUiMessage {
  '@level': string;
  '@message': string;
  '@module': string;
  '@timestamp': string;
  type: string;
  [key: string]: unknown;
}

/**
 * How a terraform process ended.
 *
 * @public
 */
export interface TerraformCommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The whole stdout, when captured. */
  stdout: string;
  /** The last 64 KiB of stderr. */
  stderr: string;
  /** Non-JSON stdout lines (init and plain output), last 64 KiB. */
  text: string;
  /** Cancelled through the signal. */
  cancelled: boolean;
  /** Still running after the grace period, so killed with SIGKILL. */
  killed: boolean;
  durationMs: number;
}

const TAIL = 64 * 1024;

function appendTail(buffer: string, chunk: string) {
  const next = buffer + chunk;
  return next.length > TAIL ? next.slice(next.length - TAIL) : next;
}

/**
 * What {@link runTerraformCommand} runs, and how.
 *
 * @public
 */
export interface TerraformCommandOptions {
  binary: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  gracePeriodMs: number;
  signal?: AbortSignal;
  /** Keep the whole stdout (show -json, output -json). */
  captureStdout?: boolean;
  onMessage?: (message: TerraformUiMessage) => void;
  /** Where the process is tracked, for shutdown. */
  processes?: TerraformProcesses;
}

/** The watchdog terraform runs under (see its header). */
function watchdogPath(): string {
  return resolvePackagePath(
    '@paved/plugin-terraform-node',
    'watchdog/terraformWatchdog.js',
  );
}

/**
 * Runs terraform in its own process group, under a watchdog that ends it
 * when this process dies (its stdin pipe closes), and streams its JSON UI
 * messages. Cancellation sends SIGINT to the group (as Ctrl-C in a
 * terminal would), then SIGKILL once the grace period is over.
 *
 * @public
 */
export async function runTerraformCommand(
  options: TerraformCommandOptions,
): Promise<TerraformCommandResult> {
  options.processes?.assertOpen();
  const binary = resolveBinary(options.binary, options.cwd, options.env);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [watchdogPath(), String(options.gracePeriodMs), binary, ...options.args],
      {
        cwd: options.cwd,
        env: options.env,
        // stdin stays open, never written: it closes when this process dies.
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      },
    );
    options.processes?.track(child);
    const output = outputCollector(options);
    const cancel = canceller(child, options.gracePeriodMs);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', output.stdout);
    child.stderr.on('data', output.stderr);
    child.once('error', (error: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener('abort', cancel.abort);
      reject(spawnError(error, options.binary));
    });
    child.once('close', (exitCode, signal) => {
      options.signal?.removeEventListener('abort', cancel.abort);
      cancel.clear();
      output.end();
      resolve({
        exitCode,
        signal,
        ...output.collected,
        ...cancel.state,
        durationMs: Date.now() - started,
      });
    });
    if (options.signal?.aborted) cancel.abort();
    else
      options.signal?.addEventListener('abort', cancel.abort, { once: true });
  });
}

/** Collects a command's output: stdout whole or as UI messages, the tails of the rest. */
function outputCollector(
  options: Pick<TerraformCommandOptions, 'captureStdout' | 'onMessage'>,
) {
  const collected = { stdout: '', stderr: '', text: '' };
  let partial = '';
  const handleLine = (line: string) => {
    if (!line) return;
    if (line.startsWith('{') && options.onMessage) {
      let message: TerraformUiMessage | undefined;
      try {
        message = JSON.parse(line);
      } catch {
        message = undefined;
      }
      if (message && typeof message.type === 'string') {
        options.onMessage(message);
        return;
      }
    }
    collected.text = appendTail(collected.text, `${line}\n`);
  };
  return {
    collected,
    stdout: (chunk: string) => {
      if (options.captureStdout) {
        collected.stdout += chunk;
        return;
      }
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) handleLine(line);
    },
    stderr: (chunk: string) => {
      collected.stderr = appendTail(collected.stderr, chunk);
    },
    /** The last line, when the output did not end with a newline. */
    end: () => {
      if (partial) handleLine(partial);
      partial = '';
    },
  };
}

/** SIGINT to the process group on abort, then SIGKILL once the grace period is over. */
function canceller(child: ChildProcess, gracePeriodMs: number) {
  const state = { cancelled: false, killed: false };
  let killTimer: NodeJS.Timeout | undefined;
  return {
    state,
    abort: () => {
      // Too late: the process has ended, only its close is still to come.
      if (
        state.cancelled ||
        child.exitCode !== null ||
        child.signalCode !== null
      )
        return;
      state.cancelled = true;
      signalGroup(child, 'SIGINT');
      killTimer = setTimeout(() => {
        state.killed = true;
        signalGroup(child, 'SIGKILL');
      }, gracePeriodMs);
    },
    clear: () => {
      if (killTimer) clearTimeout(killTimer);
    },
  };
}

/**
 * The binary's path, found as the shell would (a path, or a name on the
 * child's PATH), so that a binary that cannot be started is said in terms
 * of paved.terraform.binary before the watchdog starts.
 */
function resolveBinary(
  binary: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): string {
  if (binary.includes(path.sep)) {
    const resolved = path.resolve(cwd, binary);
    checkExecutable(resolved, binary);
    return resolved;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, binary);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here: the next directory.
    }
  }
  throw notFound(binary, 'is not on PATH');
}

function checkExecutable(resolved: string, binary: string) {
  try {
    fs.accessSync(resolved, fs.constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw notFound(
      binary,
      code === 'EACCES' ? 'is not executable' : 'does not exist',
    );
  }
}

/** A binary that cannot be started, said in terms of paved.terraform.binary. */
function spawnError(error: NodeJS.ErrnoException, binary: string): Error {
  if (error.code !== 'ENOENT' && error.code !== 'EACCES') return error;
  let problem = 'does not exist';
  if (error.code === 'EACCES') problem = 'is not executable';
  else if (!binary.includes(path.sep)) problem = 'is not on PATH';
  return notFound(binary, problem);
}

function notFound(binary: string, problem: string): Error {
  return new NotFoundError(
    `Terraform binary not found: "${binary}" ${problem} (paved.terraform.binary: set it to the path of terraform or tofu)`,
  );
}
