import { Config, readDurationFromConfig } from '@backstage/config';

/** What docker/kubernetes/secret.example.yaml ships: never a real key. */
export const PLAN_KEY_PLACEHOLDER = 'change-me-to-another-long-random-string';

/** At least this many bytes of key material, as `openssl rand -base64 32` gives. */
export const MIN_PLAN_KEY_BYTES = 32;

/** Fewer distinct byte values than this is a pattern, not a random key. */
const MIN_DISTINCT_BYTES = 16;

const PLAN_KEY = 'paved.terraform.planEncryptionKey';
const LOCK_LEASE = 'paved.terraform.lockLease';
const STALE_TIMEOUT = 'scaffolder.taskRecovery.staleTimeout';

/** Defaults of the runner (paved.terraform.lockLease) and of the scaffolder 1.55. */
const DEFAULT_LOCK_LEASE_MS = 120_000;
const DEFAULT_STALE_TIMEOUT_MS = 30_000;
/** Time for the dead process's last task heartbeat (written every second) and lease renewal to age. */
const RECOVERY_MARGIN_MS = 5_000;

/** Production is what app-config.production.yaml sets: `auth.environment: production`. */
export function isProduction(config: Config): boolean {
  return config.getOptionalString('auth.environment') === 'production';
}

/**
 * The key's bytes as an operator would have made it: base64 (`openssl rand
 * -base64 32`) or hex (`openssl rand -hex 32`) decoded, anything else as
 * its UTF-8 bytes.
 */
function keyMaterial(key: string): Buffer {
  if (/^(?:[0-9a-f]{2})+$/i.test(key) && key.length >= 64) {
    return Buffer.from(key, 'hex');
  }
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(key) && key.length % 4 === 0) {
    return Buffer.from(key, 'base64');
  }
  return Buffer.from(key, 'utf8');
}

/**
 * Why a production plan encryption key is refused, or undefined when it
 * has real entropy: set, not the example's placeholder, at least 32 bytes
 * once decoded and not a pattern (at least 16 distinct byte values).
 */
export function planKeyProblem(key: string | undefined): string | undefined {
  const rule = `production needs a random key of at least ${MIN_PLAN_KEY_BYTES} bytes, e.g. the output of "openssl rand -base64 32", in PAVED_TERRAFORM_PLAN_KEY`;
  if (!key) return `${PLAN_KEY}: missing; ${rule}`;
  if (key === PLAN_KEY_PLACEHOLDER || /change-?me|placeholder/i.test(key)) {
    return `${PLAN_KEY}: is the placeholder of docker/kubernetes/secret.example.yaml, not a key; ${rule}`;
  }
  const material = keyMaterial(key);
  if (material.length < MIN_PLAN_KEY_BYTES) {
    return `${PLAN_KEY}: too short, ${material.length} bytes; ${rule}`;
  }
  if (new Set(material).size < MIN_DISTINCT_BYTES) {
    return `${PLAN_KEY}: too little entropy, ${
      new Set(material).size
    } distinct byte values in ${
      material.length
    } bytes (at least ${MIN_DISTINCT_BYTES}); ${rule}`;
  }
  return undefined;
}

const UNIT_MS: Record<string, number> = {
  milliseconds: 1,
  seconds: 1_000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
};

function durationMs(config: Config, key: string, fallbackMs: number): number {
  if (!config.has(key)) return fallbackMs;
  const duration = readDurationFromConfig(config, { key }) as Record<
    string,
    number | undefined
  >;
  return Object.entries(duration).reduce(
    (ms, [unit, n]) => ms + (n ?? 0) * (UNIT_MS[unit] ?? 0),
    0,
  );
}

function describe(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return (
    [minutes && `${minutes} min`, seconds && `${seconds} s`]
      .filter(Boolean)
      .join(' ') || '0 s'
  );
}

/**
 * Why task recovery would resume a task too early, or undefined: a task
 * taken up while the dead process's Terraform workspace lease still holds
 * would find its workspace busy. So staleTimeout must be at least the
 * lease plus a margin for the last heartbeat and renewal.
 */
export function taskRecoveryProblem(config: Config): string | undefined {
  const enabled =
    config.getOptionalBoolean('scaffolder.taskRecovery.enabled') ??
    config.getOptionalBoolean('scaffolder.EXPERIMENTAL_recoverTasks') ??
    false;
  if (!enabled) return undefined;
  const staleMs = durationMs(config, STALE_TIMEOUT, DEFAULT_STALE_TIMEOUT_MS);
  const leaseMs = durationMs(config, LOCK_LEASE, DEFAULT_LOCK_LEASE_MS);
  if (staleMs >= leaseMs + RECOVERY_MARGIN_MS) return undefined;
  return `${STALE_TIMEOUT} (${describe(
    staleMs,
  )}) must be at least ${LOCK_LEASE} (${describe(leaseMs)}) plus ${describe(
    RECOVERY_MARGIN_MS,
  )}: otherwise a task is resumed while the Terraform workspace lease of the process that died still holds, and its Terraform steps fail; raise ${STALE_TIMEOUT} or lower ${LOCK_LEASE}`;
}

/** The start-time checks of the Terraform driver's configuration. */
export function terraformConfigProblems(config: Config): string[] {
  const problems: string[] = [];
  if (isProduction(config)) {
    const value = config.getOptional(PLAN_KEY);
    const key = planKeyProblem(
      typeof value === 'string' ? value.trim() || undefined : undefined,
    );
    if (key) problems.push(key);
  }
  const recovery = taskRecoveryProblem(config);
  if (recovery) problems.push(recovery);
  return problems;
}
