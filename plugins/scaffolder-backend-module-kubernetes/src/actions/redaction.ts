import { KubernetesManifest } from '@paved/plugin-kubernetes-node';

/** What a redacted value is replaced with, in manifests and log lines alike. */
export const REDACTED = '<redacted>';

/** Secret values must not reach the task log, even in a dry run. */
export function redactManifest(
  manifest: KubernetesManifest,
): KubernetesManifest {
  if (manifest.kind !== 'Secret') {
    return manifest;
  }
  const copy = structuredClone(manifest);
  for (const key of ['data', 'stringData']) {
    if (copy[key] && typeof copy[key] === 'object') {
      copy[key] = Object.fromEntries(
        Object.keys(copy[key]).map(k => [k, REDACTED]),
      );
    }
  }
  return copy;
}

/** Credentials as programs print them: `password=…`, `Authorization: Bearer …`, `https://user:pass@host`. */
const CREDENTIAL_PATTERNS: Array<[RegExp, string]> = [
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [
    /\b([\w-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|credentials?)[\w-]*)(["']?\s*[=:]\s*["']?)[^\s"',;&]+/gi,
    `$1$2${REDACTED}`,
  ],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${REDACTED}@`],
];

/**
 * A line from the cluster (a container log line, an event message) as it
 * may be shown in the task log: the task's secret values (ctx.secrets, which
 * the scaffolder also keeps out of its log) and credential-looking values
 * replaced by `<redacted>`, as Secret values of manifests are.
 */
export function redactLine(
  line: string,
  secrets: Record<string, string> | undefined,
): string {
  let out = line;
  const values = Object.values(secrets ?? {})
    .filter(v => typeof v === 'string' && v.length >= 4)
    .sort((a, b) => b.length - a.length);
  for (const value of values) {
    out = out.split(value).join(REDACTED);
  }
  for (const [pattern, replacement] of CREDENTIAL_PATTERNS) {
    out = out.replace(pattern, replacement);
  }
  return out;
}
