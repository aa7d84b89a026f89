import { NotFoundError } from '@backstage/errors';
import { spawn } from 'node:child_process';
import path from 'node:path';

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
 * Runs terraform in its own process group and streams its JSON UI
 * messages. Cancellation sends SIGINT to the group (as Ctrl-C in a
 * terminal would), then SIGKILL once the grace period is over.
 *
 * @public
 */
export function runTerraformCommand(options: {
  binary: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  gracePeriodMs: number;
  signal?: AbortSignal;
  /** Keep the whole stdout (show -json, output -json). */
  captureStdout?: boolean;
  onMessage?: (message: TerraformUiMessage) => void;
}): Promise<TerraformCommandResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(options.binary, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let text = '';
    let partial = '';
    let cancelled = false;
    let killed = false;
    let killTimer: NodeJS.Timeout | undefined;

    const signalGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        child.kill(sig);
      }
    };
    const onAbort = () => {
      // Too late: the process has ended, only its close is still to come.
      if (cancelled || child.exitCode !== null || child.signalCode !== null)
        return;
      cancelled = true;
      signalGroup('SIGINT');
      killTimer = setTimeout(() => {
        killed = true;
        signalGroup('SIGKILL');
      }, options.gracePeriodMs);
    };

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
      text = appendTail(text, `${line}\n`);
    };

    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (options.captureStdout) {
        stdout += chunk;
        return;
      }
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) handleLine(line);
    });
    child.stderr.on('data', (chunk: string) => {
      stderr = appendTail(stderr, chunk);
    });

    child.once('error', (error: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (error.code === 'ENOENT' || error.code === 'EACCES') {
        let problem = 'does not exist';
        if (error.code === 'EACCES') problem = 'is not executable';
        else if (!options.binary.includes(path.sep)) problem = 'is not on PATH';
        reject(
          new NotFoundError(
            `Terraform binary not found: "${options.binary}" ${problem} (paved.terraform.binary: set it to the path of terraform or tofu)`,
          ),
        );
      } else {
        reject(error);
      }
    });
    child.once('close', (exitCode, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (partial) handleLine(partial);
      resolve({
        exitCode,
        signal,
        stdout,
        stderr,
        text,
        cancelled,
        killed,
        durationMs: Date.now() - started,
      });
    });

    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
