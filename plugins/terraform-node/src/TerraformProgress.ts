import { TerraformUiMessage } from './runTerraformCommand';
import { SecretRedactor } from './SecretRedactor';
import {
  TerraformProgressEvent,
  TerraformResourceAction,
} from './TerraformRunner';

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
 * summary. Every line goes through the redactor.
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

  constructor(
    private readonly options: {
      operation: 'plan' | 'apply' | 'destroy' | 'probe';
      /** Resources expected: declared by the module (plan) or changes (apply). */
      total: number;
      redactor: SecretRedactor;
      emit?: (event: TerraformProgressEvent) => void;
    },
  ) {}

  private emit(event: TerraformProgressEvent) {
    this.options.emit?.({
      ...event,
      message: this.options.redactor.redact(event.message),
    });
  }

  private total() {
    return Math.max(this.options.total, this.seen.size);
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
          this.seen.add(address);
          this.emit({
            level: 'info',
            type: message.type,
            address,
            message: `${
              this.seen.size
            }/${this.total()} resources planned: ${address} refreshed`,
          });
        }
        return;
      case 'planned_change':
        if (!address || this.options.operation !== 'plan') return;
        this.seen.add(address);
        this.emit({
          level: 'info',
          type: message.type,
          address,
          message: `${
            this.seen.size
          }/${this.total()} resources planned: ${address} will ${
            VERBS[change.action] ?? change.action
          }`,
        });
        return;
      case 'apply_start':
        if (!address) return;
        this.started.add(address);
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
