import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import fs from 'node:fs';
import path from 'node:path';
import { checkPlanEncryptionKey } from './plans/PlanFileCipher';
import {
  readStateBackendConfig,
  TerraformBackendSettings,
} from './state/readStateBackendConfig';

/**
 * Settings of the TerraformRunner, read from `paved.terraform`.
 *
 * @public
 */
export interface TerraformRunnerSettings {
  binary: string;
  modulesDir: string;
  workDir: string;
  backend: TerraformBackendSettings;
  planMaxAgeMs: number;
  cancelGracePeriodMs: number;
  lockLeaseMs: number;
  stateLockTimeoutMs: number;
  environment: Record<string, string>;
  secretEnvironment: Record<string, string>;
  /**
   * The largest plan file kept in the database for applying on any
   * replica; default {@link DEFAULT_PLAN_MAX_BYTES}.
   */
  planMaxBytes?: number;
  /**
   * Seals plan files in the database; without it, a key generated in the
   * work directory.
   */
  planEncryptionKey?: string;
  /** Keys replaced by a rotation: plans they sealed still open. */
  previousPlanEncryptionKeys?: string[];
}

/**
 * Default of `paved.terraform.planMaxBytes`: 32 MiB.
 *
 * @public
 */
export const DEFAULT_PLAN_MAX_BYTES = 32 * 1024 * 1024;

const KEY = 'paved.terraform';
const MODULES_SUBDIR = path.join('templates', 'terraform', 'modules');

/** A duration such as "30s", "PT5M" or { minutes: 5 }, in milliseconds. */
function durationMs(config: Config, key: string, fallbackMs: number): number {
  if (!config.has(key)) return fallbackMs;
  return durationToMilliseconds(readDurationFromConfig(config, { key }));
}

function stringMap(config: Config | undefined, key: string) {
  const out: Record<string, string> = {};
  const sub = config?.getOptionalConfig(key);
  for (const name of sub?.keys() ?? []) out[name] = sub!.getString(name);
  return out;
}

/** The nearest `templates/terraform/modules` above the working directory. */
function findModulesDir(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, MODULES_SUBDIR);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Reads `paved.terraform` with its defaults.
 *
 * @public
 */
export function readTerraformRunnerConfig(
  rootConfig: Config,
  options: { cwd?: string } = {},
): TerraformRunnerSettings {
  const cwd = options.cwd ?? process.cwd();
  const config = rootConfig.getOptionalConfig(KEY);
  const directories = readDirectories(config, cwd);
  const backend = readStateBackendConfig(
    config?.getOptionalConfig('backend'),
    cwd,
  );
  const planFiles = readPlanFileSettings(config);
  return {
    binary: config?.getOptionalString('binary') ?? 'terraform',
    ...directories,
    backend,
    planMaxAgeMs: durationMs(rootConfig, `${KEY}.planMaxAge`, 3_600_000),
    cancelGracePeriodMs: durationMs(
      rootConfig,
      `${KEY}.cancelGracePeriod`,
      30_000,
    ),
    lockLeaseMs: durationMs(rootConfig, `${KEY}.lockLease`, 120_000),
    stateLockTimeoutMs: durationMs(rootConfig, `${KEY}.stateLockTimeout`, 0),
    environment: stringMap(config, 'environment'),
    secretEnvironment: stringMap(config, 'secretEnvironment'),
    ...planFiles,
  };
}

/**
 * The modules directory and the work directory: configured, relative to
 * the working directory, or found from the nearest modules directory.
 */
function readDirectories(config: Config | undefined, cwd: string) {
  const configuredModules = config?.getOptionalString('modulesDir');
  const found = findModulesDir(cwd);
  const modulesDir = configuredModules
    ? path.resolve(cwd, configuredModules)
    : found ?? path.resolve(cwd, MODULES_SUBDIR);
  const repoRoot = found ? path.resolve(found, '../../..') : cwd;
  const configuredWork = config?.getOptionalString('workDir');
  const workDir = configuredWork
    ? path.resolve(cwd, configuredWork)
    : path.join(repoRoot, 'data', 'terraform');
  return { modulesDir, workDir };
}

/** How saved plan files are kept: their largest size and their keys. */
function readPlanFileSettings(
  config: Config | undefined,
): Pick<
  TerraformRunnerSettings,
  'planMaxBytes' | 'planEncryptionKey' | 'previousPlanEncryptionKeys'
> {
  const planMaxBytes =
    config?.getOptionalNumber('planMaxBytes') ?? DEFAULT_PLAN_MAX_BYTES;
  if (!Number.isInteger(planMaxBytes) || planMaxBytes < 1024) {
    throw new Error(
      `paved.terraform.planMaxBytes: expected a whole number of bytes, at least 1024, got ${planMaxBytes}`,
    );
  }
  const planEncryptionKey = config?.getOptionalString('planEncryptionKey');
  if (planEncryptionKey !== undefined)
    checkPlanEncryptionKey(planEncryptionKey);
  // Empty entries are what an unset ${VAR:-} leaves.
  const previousPlanEncryptionKeys = (
    config?.getOptionalStringArray('previousPlanEncryptionKeys') ?? []
  ).filter(k => k !== '');
  previousPlanEncryptionKeys.forEach((k, i) =>
    checkPlanEncryptionKey(
      k,
      `paved.terraform.previousPlanEncryptionKeys[${i}]`,
    ),
  );
  if (
    previousPlanEncryptionKeys.length > 0 &&
    planEncryptionKey === undefined
  ) {
    throw new Error(
      'paved.terraform.previousPlanEncryptionKeys: set only together with paved.terraform.planEncryptionKey, the key that replaced them',
    );
  }
  return {
    planMaxBytes,
    ...(planEncryptionKey !== undefined ? { planEncryptionKey } : {}),
    ...(previousPlanEncryptionKeys.length > 0
      ? { previousPlanEncryptionKeys }
      : {}),
  };
}
