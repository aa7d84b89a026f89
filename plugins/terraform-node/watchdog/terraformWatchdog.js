#!/usr/bin/env node
/*
 * Runs one terraform command so that it cannot outlive the backend that
 * started it: usage `node terraformWatchdog.js <graceMs> <binary> [args...]`.
 *
 * The backend holds this process's stdin open and never writes to it; the
 * kernel closes it when the backend exits, however it exits (SIGKILL and
 * out-of-memory kills included). Then terraform's process group gets
 * SIGTERM (Terraform stops as on Ctrl-C), and SIGKILL once the grace period
 * is over.
 *
 * Terraform leads a process group of its own (its providers with it); the
 * backend signals this process, which passes the signal on to that group:
 * SIGINT (cancel) and SIGTERM (shutdown) as they are, SIGUSR2 as SIGKILL.
 * This process stays alive to reap terraform, so that a killed terraform
 * never lingers as a zombie that still seems to hold its state lock. It
 * exits as terraform did: the same code, or the same signal.
 *
 * Plain Node, builtins only.
 */
'use strict';

const { spawn } = require('node:child_process');

const [graceArg, binary, ...args] = process.argv.slice(2);
const graceMs = Number(graceArg);

const child = spawn(binary, args, {
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});

function signalTerraform(signal) {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

const forward = {
  SIGINT: () => signalTerraform('SIGINT'),
  SIGTERM: () => signalTerraform('SIGTERM'),
  SIGHUP: () => signalTerraform('SIGTERM'),
  SIGUSR2: () => signalTerraform('SIGKILL'),
};
for (const [signal, handler] of Object.entries(forward)) {
  process.on(signal, handler);
}

let orphaned = false;
function parentGone() {
  if (orphaned) return;
  orphaned = true;
  signalTerraform('SIGTERM');
  setTimeout(() => signalTerraform('SIGKILL'), graceMs).unref();
}
process.stdin.on('data', () => {});
process.stdin.on('end', parentGone);
process.stdin.on('close', parentGone);
process.stdin.on('error', parentGone);

child.on('error', error => {
  process.stderr.write(`terraform watchdog: ${error.message}\n`);
  process.exit(127);
});

child.on('exit', (code, signal) => {
  if (signal) {
    for (const [s, handler] of Object.entries(forward)) process.off(s, handler);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
