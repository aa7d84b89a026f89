/**
 * The shortest value treated as a secret. Shorter values would blank out
 * ordinary words and digits everywhere.
 */
const MIN_SECRET_LENGTH = 4;

/** What a redacted secret is replaced with. */
export const REDACTED = '***';

/**
 * Replaces known secret values (credentials, sensitive variables and
 * outputs) in any text before it reaches a log, a task output or an error.
 *
 * @public
 */
export class SecretRedactor {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;

  /** A redactor that knows the given values and everything `parent` knows. */
  static create(values: unknown[] = [], parent?: SecretRedactor) {
    const redactor = new SecretRedactor();
    if (parent) for (const s of parent.#secrets) redactor.#secrets.add(s);
    redactor.add(...values);
    return redactor;
  }

  /** Adds secret values; strings, numbers and every leaf of objects. */
  add(...values: unknown[]): void {
    let changed = false;
    const visit = (value: unknown) => {
      if (value === null || value === undefined) return;
      if (typeof value === 'string' || typeof value === 'number') {
        const text = String(value);
        if (text.length < MIN_SECRET_LENGTH) return;
        // As it appears raw, JSON-escaped and URL-encoded.
        for (const form of [
          text,
          JSON.stringify(text).slice(1, -1),
          encodeURIComponent(text),
        ]) {
          if (!this.#secrets.has(form)) {
            this.#secrets.add(form);
            changed = true;
          }
        }
        return;
      }
      if (Array.isArray(value)) value.forEach(visit);
      else if (typeof value === 'object') Object.values(value).forEach(visit);
    };
    values.forEach(visit);
    if (changed) this.#pattern = undefined;
  }

  /** The text with every known secret replaced by `***`. */
  redact(text: string): string {
    if (this.#secrets.size === 0 || !text) return text;
    if (!this.#pattern) {
      const sorted = [...this.#secrets].sort((a, b) => b.length - a.length);
      this.#pattern = new RegExp(
        sorted.map(s => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
        'g',
      );
    }
    return text.replace(this.#pattern, REDACTED);
  }

  /** A deep copy of a JSON value with secrets redacted in every string. */
  redactJson<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map(v => this.redactJson(v)) as T;
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.redactJson(v);
      return out as T;
    }
    return value;
  }
}
