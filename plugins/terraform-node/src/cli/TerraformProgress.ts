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
  private readonly seen = new Set<string>();
  private readonly started = new Set<string>();
  /** Resources that get lines of their own. */
  private readonly detailed = new Set<string>();
  private readonly detailLimit: number;
  private readonly every: number;
  /** The count of the last count line, to end on a final one. */
  private lastCount = 0;

  constructor(
    private readonly options: {
      operation: 'plan' | 'apply' | 'destroy' | 'probe';
      /** Resources expected: declared by the module (plan) or changes (apply). */
      total: number;
      redactor: SecretRedactor;
      emit?: (event: TerraformProgressEvent) => void;
      /** Default {@link PROGRESS_DETAIL_LIMIT}. */
      detailLimit?: number;
      /** Default {@link PROGRESS_EVERY}. */
      every?: number;
    },
  ) {
    this.detailLimit = options.detailLimit ?? PROGRESS_DETAIL_LIMIT;
    this.every = Math.max(1, options.every ?? PROGRESS_EVERY);
  }

  /** Whether this resource gets its own lines; the first ones do. */
  private inDetail(address: string): boolean {
    if (this.detailed.has(address)) return true;
    if (this.detailed.size < this.detailLimit) {
      this.detailed.add(address);
      return true;
    }
    if (this.detailed.size === this.detailLimit && this.lastCount === 0) {
      this.lastCount = -1;
      this.emit({
        level: 'info',
        type: 'runner',
        message: `More than ${this.detailLimit} resources: from here on, one line every ${this.every}`,
      });
    }
    return false;
  }

  /** A count line when `count` is a multiple of `every`, or at the end. */
  private countLine(count: number, what: string, final = false) {
    if (count === this.lastCount) return;
    if (!final && count % this.every !== 0) return;
    this.lastCount = count;
    this.emit({
      level: 'info',
      type: 'runner',
      message: `${count}/${this.total()} ${what}`,
    });
  }

  /** Whether count lines replaced some resources' lines. */
  private get summarized() {
    return this.lastCount !== 0;
  }

  private emit(event: TerraformProgressEvent) {
    this.options.emit?.({
      ...event,
      message: this.options.redactor.redact(event.message),
    });
  }

  private total() {
    return Math.max(this.options.total, this.seen.size);
  }

  /** A resource the plan reached: a line naming it, or beyond the first ones a count. */
  private planned(type: string, address: string, what: string) {
    this.seen.add(address);
    if (!this.inDetail(address)) {
      this.countLine(this.seen.size, 'resources planned');
      return;
    }
    this.emit({
      level: 'info',
      type,
      address,
      message: `${
        this.seen.size
      }/${this.total()} resources planned: ${address} ${what}`,
    });
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
        if (address && this.options.operation === 'plan') {
          this.planned(message.type, address, 'refreshed');
        }
        return;
      case 'planned_change':
        if (address && this.options.operation === 'plan') {
          this.planned(
            message.type,
            address,
            `will ${VERBS[change.action] ?? change.action}`,
          );
        }
        return;
      case 'apply_start':
        if (!address) return;
        this.started.add(address);
        if (!this.inDetail(address)) return;
        this.emit({
          level: 'info',
          type: message.type,
          address,
          message: `Applying ${this.started.size}/${this.total()}: ${
            message['@message']
          }`,
        });
        return;
      case 'apply_progress':
        if (address && !this.inDetail(address)) return;
        this.emit({
          level: 'info',
          type: message.type,
          address,
          message: message['@message'],
        });
        return;
      case 'apply_complete': {
        if (!address) return;
        const previous = this.applied.get(address);
        const action = hook.action as TerraformResourceAction;
        // A replacement reports its delete and its create separately.
        this.applied.set(
          address,
          previous && previous !== action ? 'replace' : action,
        );
        if (!this.inDetail(address)) {
          this.countLine(this.applied.size, 'applied');
          return;
        }
        this.emit({
          level: 'info',
          type: message.type,
          address,
          message: `${this.applied.size}/${this.total()} applied: ${
            message['@message']
          }`,
        });
        return;
      }
      case 'apply_errored':
        if (address) this.errored.push(address);
        this.emit({
          level: 'error',
          type: message.type,
          address,
          message: message['@message'],
        });
        return;
      case 'change_summary': {
        if (this.summarized) {
          if (this.options.operation === 'plan')
            this.countLine(this.seen.size, 'resources planned', true);
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
        this.emit({
          level: 'info',
          type: message.type,
          message: message['@message'],
        });
        return;
      }
      case 'diagnostic': {
        const d = message.diagnostic as any;
        const diagnostic: TerraformDiagnostic = {
          severity: d?.severity === 'warning' ? 'warning' : 'error',
          summary: this.options.redactor.redact(String(d?.summary ?? '')),
          detail: this.options.redactor.redact(String(d?.detail ?? '')),
          ...(d?.address ? { address: String(d.address) } : {}),
        };
        this.diagnostics.push(diagnostic);
        if (this.options.operation === 'probe') return;
        this.emit({
          level: diagnostic.severity === 'warning' ? 'warn' : 'error',
          type: message.type,
          address: diagnostic.address,
          message: `${
            diagnostic.severity === 'warning' ? 'Warning' : 'Error'
          }: ${diagnostic.summary}${
            diagnostic.detail ? `: ${diagnostic.detail}` : ''
          }`,
        });
        return;
      }
      case 'outputs': {
        // Values of sensitive outputs may be in this message: never shown,
        // but known to the redactor from here on.
        const outputs = (message.outputs ?? {}) as Record<string, any>;
        for (const o of Object.values(outputs)) {
          if (o?.sensitive && 'value' in o) this.options.redactor.add(o.value);
        }
        return;
      }
      case 'log':
        if (/Interrupt received/.test(message['@message']))
          this.interrupted = true;
        if (this.options.operation === 'probe') return;
        this.emit({
          level: 'info',
          type: message.type,
          message: message['@message'].trim(),
        });
        return;
      default:
        // Clients should show at least @message of types they do not know.
        if (
          this.options.operation !== 'probe' &&
          !/^(refresh_start|resource_drift|provision_|ephemeral_|init_output)/.test(
            message.type,
          )
        ) {
          this.emit({
            level: 'info',
            type: message.type,
            message: message['@message'],
          });
        }
    }
  }

  /** Error diagnostics as one line each. */
  errors(): string[] {
    return this.diagnostics
      .filter(d => d.severity === 'error')
      .map(d => `${d.summary}${d.detail ? `: ${d.detail}` : ''}`);
  }
}
