import { TerraformUiMessage } from './runTerraformCommand';
import { SecretRedactor } from '../SecretRedactor';
import {
  TerraformProgressEvent,
  TerraformResourceAction,
} from '../TerraformRunner';

/**
 * A diagnostic from the JSON UI stream.
 *
 * @public
 */
export interface TerraformDiagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail: string;
  address?: string;
}

/**
 * Resources whose every line reaches the task log; past them, a count line
 * every {@link PROGRESS_EVERY} resources (a 5,000-resource plan logs about a
 * hundred lines, not ten thousand).
 *
 * @public
 */
export const PROGRESS_DETAIL_LIMIT = 50;

/**
 * Past {@link PROGRESS_DETAIL_LIMIT}, one count line per this many resources.
 *
 * @public
 */
export const PROGRESS_EVERY = 100;

const VERBS: Record<string, string> = {
  create: 'create',
  update: 'update in place',
  delete: 'destroy',
  replace: 'replace',
  read: 'read',
  noop: 'leave unchanged',
  move: 'move',
};

/** What a {@link TerraformProgress} reports on, and where. */
export interface TerraformProgressOptions {
  operation: 'plan' | 'apply' | 'destroy' | 'probe';
  /** Resources expected: declared by the module (plan) or changes (apply). */
  total: number;
  redactor: SecretRedactor;
  emit?: (event: TerraformProgressEvent) => void;
  /** Default {@link PROGRESS_DETAIL_LIMIT}. */
  detailLimit?: number;
  /** Default {@link PROGRESS_EVERY}. */
  every?: number;
}

/**
 * Turns terraform's JSON UI messages into progress lines for a task log
 * ("3/7 resources planned: aws_s3_bucket.this (create)") and keeps what the
 * runner needs afterwards: diagnostics, applied resources, the change
 * summary. Every line goes through the redactor. The first resources get
 * their own lines; past `detailLimit`, a count line every `every`
 * resources; errors and diagnostics always.
 *
 * @public
 */
export class TerraformProgress {
  readonly diagnostics: TerraformDiagnostic[] = [];
  /** Resources whose apply completed, in order, with the action taken. */
  readonly applied = new Map<string, TerraformResourceAction>();
  readonly errored: string[] = [];
  changeSummary?: {
    add: number;
    change: number;
    remove: number;
    operation: string;
    message: string;
  };
  uiVersion?: string;
  interrupted = false;
  readonly #options: TerraformProgressOptions;
  readonly #seen = new Set<string>();
  readonly #started = new Set<string>();
  /** Resources that get lines of their own. */
  readonly #detailed = new Set<string>();
  readonly #detailLimit: number;
  readonly #every: number;
  /** The count of the last count line, to end on a final one. */
  #lastCount = 0;

  constructor(options: TerraformProgressOptions) {
    this.#options = options;
    this.#detailLimit = options.detailLimit ?? PROGRESS_DETAIL_LIMIT;
    this.#every = Math.max(1, options.every ?? PROGRESS_EVERY);
  }

  /** Handles one UI message. */
  handle(message: TerraformUiMessage): void {
    const hook = message.hook as any;
    const change = message.change as any;
    const address: string | undefined =
      hook?.resource?.addr ?? change?.resource?.addr;
    switch (message.type) {
      case 'version':
        this.uiVersion = String(message.ui ?? '');
        return;
      case 'refresh_complete':
        if (address && this.#options.operation === 'plan') {
          this.planned(message.type, address, 'refreshed');
        }
        return;
      case 'planned_change':
        if (address && this.#options.operation === 'plan') {
          const verb = VERBS[change.action] ?? change.action;
          this.planned(message.type, address, `will ${verb}`);
        }
        return;
      case 'apply_start':
        this.onApplyStart(message, address);
        return;
      case 'apply_progress':
        if (address && !this.inDetail(address)) return;
        this.emitMessage(message, { address });
        return;
      case 'apply_complete':
        this.onApplyComplete(message, address, hook?.action);
        return;
      case 'apply_errored':
        if (address) this.errored.push(address);
        this.emitMessage(message, { level: 'error', address });
        return;
      default:
        this.handleOther(message);
    }
  }

  /** The messages that are not about one resource. */
  private handleOther(message: TerraformUiMessage): void {
    switch (message.type) {
      case 'change_summary':
        this.onChangeSummary(message);
        return;
      case 'diagnostic':
        this.onDiagnostic(message);
        return;
      case 'outputs':
        this.onOutputs(message);
        return;
      case 'log':
        if (/Interrupt received/.test(message['@message']))
          this.interrupted = true;
        if (this.#options.operation === 'probe') return;
        this.#emit({
          level: 'info',
          type: message.type,
          message: message['@message'].trim(),
        });
        return;
      default:
        // Clients should show at least @message of types they do not know.
        if (
          this.#options.operation !== 'probe' &&
          !/^(refresh_start|resource_drift|provision_|ephemeral_|init_output)/.test(
            message.type,
          )
        ) {
          this.emitMessage(message);
        }
    }
  }

  /** Whether this resource gets its own lines; the first ones do. */
  private inDetail(address: string): boolean {
    if (this.#detailed.has(address)) return true;
    if (this.#detailed.size < this.#detailLimit) {
      this.#detailed.add(address);
      return true;
    }
    if (this.#detailed.size === this.#detailLimit && this.#lastCount === 0) {
      this.#lastCount = -1;
      this.#emit({
        level: 'info',
        type: 'runner',
        message: `More than ${
          this.#detailLimit
        } resources: from here on, one line every ${this.#every}`,
      });
    }
    return false;
  }

  /** A count line when `count` is a multiple of `every`, or at the end. */
  private countLine(count: number, what: string, final = false) {
    if (count === this.#lastCount) return;
    if (!final && count % this.#every !== 0) return;
    this.#lastCount = count;
    this.#emit({
      level: 'info',
      type: 'runner',
      message: `${count}/${this.total()} ${what}`,
    });
  }

  /** Whether count lines replaced some resources' lines. */
  private get summarized() {
    return this.#lastCount !== 0;
  }

  #emit(event: TerraformProgressEvent) {
    this.#options.emit?.({
      ...event,
      message: this.#options.redactor.redact(event.message),
    });
  }

  /** The message's own text as a progress line. */
  private emitMessage(
    message: TerraformUiMessage,
    extra: Partial<TerraformProgressEvent> = {},
  ) {
    this.#emit({
      level: 'info',
      type: message.type,
      ...extra,
      message: message['@message'],
    });
  }

  private total() {
    return Math.max(this.#options.total, this.#seen.size);
  }

  /** A resource the plan reached: a line naming it, or beyond the first ones a count. */
  private planned(type: string, address: string, what: string) {
    this.#seen.add(address);
    if (!this.inDetail(address)) {
      this.countLine(this.#seen.size, 'resources planned');
      return;
    }
    this.#emit({
      level: 'info',
      type,
      address,
      message: `${
        this.#seen.size
      }/${this.total()} resources planned: ${address} ${what}`,
    });
  }

  private onApplyStart(message: TerraformUiMessage, address?: string) {
    if (!address) return;
    this.#started.add(address);
    if (!this.inDetail(address)) return;
    this.#emit({
      level: 'info',
      type: message.type,
      address,
      message: `Applying ${this.#started.size}/${this.total()}: ${
        message['@message']
      }`,
    });
  }

  private onApplyComplete(
    message: TerraformUiMessage,
    address: string | undefined,
    action: TerraformResourceAction,
  ) {
    if (!address) return;
    const previous = this.applied.get(address);
    // A replacement reports its delete and its create separately.
    this.applied.set(
      address,
      previous && previous !== action ? 'replace' : action,
    );
    if (!this.inDetail(address)) {
      this.countLine(this.applied.size, 'applied');
      return;
    }
    this.#emit({
      level: 'info',
      type: message.type,
      address,
      message: `${this.applied.size}/${this.total()} applied: ${
        message['@message']
      }`,
    });
  }

  private onChangeSummary(message: TerraformUiMessage) {
    if (this.summarized) {
      if (this.#options.operation === 'plan')
        this.countLine(this.#seen.size, 'resources planned', true);
      else this.countLine(this.applied.size, 'applied', true);
    }
    const changes = message.changes as any;
    this.changeSummary = {
      add: Number(changes?.add ?? 0),
      change: Number(changes?.change ?? 0),
      remove: Number(changes?.remove ?? 0),
      operation: String(changes?.operation ?? ''),
      message: message['@message'],
    };
    this.emitMessage(message);
  }

  private onDiagnostic(message: TerraformUiMessage) {
    const d = message.diagnostic as any;
    const { redactor } = this.#options;
    const diagnostic: TerraformDiagnostic = {
      severity: d?.severity === 'warning' ? 'warning' : 'error',
      summary: redactor.redact(String(d?.summary ?? '')),
      detail: redactor.redact(String(d?.detail ?? '')),
      ...(d?.address ? { address: String(d.address) } : {}),
    };
    this.diagnostics.push(diagnostic);
    if (this.#options.operation === 'probe') return;
    const warning = diagnostic.severity === 'warning';
    this.#emit({
      level: warning ? 'warn' : 'error',
      type: message.type,
      address: diagnostic.address,
      message: `${warning ? 'Warning' : 'Error'}: ${diagnostic.summary}${
        diagnostic.detail ? `: ${diagnostic.detail}` : ''
      }`,
    });
  }

  /**
   * Values of sensitive outputs may be in this message: never shown, but
   * known to the redactor from here on.
   */
  private onOutputs(message: TerraformUiMessage) {
    const outputs = (message.outputs ?? {}) as Record<string, any>;
    for (const o of Object.values(outputs)) {
      if (o?.sensitive && 'value' in o) this.#options.redactor.add(o.value);
    }
  }

  /** Error diagnostics as one line each. */
  errors(): string[] {
    return this.diagnostics
      .filter(d => d.severity === 'error')
      .map(d => `${d.summary}${d.detail ? `: ${d.detail}` : ''}`);
  }
}
