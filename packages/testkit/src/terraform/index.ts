/*
 * The stand-in terraform executable (packages/testkit/bin/terraform) and the
 * helpers tests use to drive it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * Absolute path of the stand-in `terraform` executable. It speaks Terraform's
 * machine-readable interface and is driven by a scenario file.
 *
 * @public
 */
export const fakeTerraformPath: string = path.join(
  path.dirname(require.resolve('@paved/testkit/package.json')),
  'bin',
  'terraform',
);

/**
 * The environment variable naming the scenario file the stand-in reads.
 *
 * @public
 */
export const FAKE_TERRAFORM_SCENARIO_ENV = 'PAVED_FAKE_TERRAFORM_SCENARIO';

/**
 * A managed resource the stand-in plans and applies.
 *
 * @public
 */
export interface FakeTerraformResource {
  /** Resource address, `type.name`. */
  address: string;
  /** Provider source; defaults from the type (`hashicorp/<prefix>`). */
  provider?: string;
  /**
   * Attribute values. `${var.x}` takes a variable's value, `${random}` a
   * random string at apply, `${type.name.attr}` another resource's attribute.
   */
  values?: Record<string, unknown>;
  /** Attributes only known after apply. */
  computed?: string[];
  /** Sensitive attribute names. */
  sensitive?: string[];
  /** Attributes whose change forces replacement. */
  forceNew?: string[];
  /** Replace even without a change. */
  replace?: boolean;
  /** Create the replacement before destroying the old object. */
  createBeforeDestroy?: boolean;
  /** Milliseconds this resource takes to apply (slow runs). */
  applyMs?: number;
  /** Seconds it takes to apply, e.g. `${var.delay_seconds}`; `applyMs` wins. */
  applySeconds?: number | string;
}

/**
 * What the stand-in does, as a JSON scenario file.
 *
 * @public
 */
export interface FakeTerraformScenario {
  /** Version reported (and the JSON UI version derived from it). Default 1.11.4. */
  version?: string;
  /** Desired resources; without it, the addresses the configuration declares. */
  resources?: FakeTerraformResource[];
  /**
   * Provider versions `init` selects when it writes a new dependency lock
   * file, by source ("hashicorp/aws": "5.80.0"); otherwise the lowest
   * version the module's constraint allows.
   */
  providerVersions?: Record<string, string>;
  /** Root outputs; values resolve like resource values. */
  outputs?: Record<string, { value: unknown; sensitive?: boolean }>;
  /** Delays in milliseconds. */
  delays?: {
    initMs?: number;
    planMs?: number;
    refreshMs?: number;
    planPerResourceMs?: number;
    applyPerResourceMs?: number;
    showMs?: number;
    /** Between a successful apply's last message and its exit (not interruptible). */
    finishMs?: number;
    /** Interval of `apply_progress` messages while a resource applies. */
    progressIntervalMs?: number;
  };
  /** Commands that fail with a diagnostic. */
  fail?: {
    /** Before anything, the backend included. */
    init?: { summary: string; detail?: string };
    /** init, once the backend is configured: installing providers. */
    providers?: { summary: string; detail?: string };
    plan?: { summary: string; detail?: string };
  };
  /** Extra diagnostics emitted while planning. */
  diagnostics?: {
    plan?: Array<{
      severity: 'error' | 'warning';
      summary: string;
      detail?: string;
    }>;
  };
  /** Apply faults. */
  apply?: {
    /** Panic (exit 11) after this many resources were applied. */
    crashAfter?: number;
    /** The resource whose apply fails with a diagnostic. */
    failAt?: string;
    failure?: {
      summary: string;
      detail?: string;
      /**
       * The failed create leaves its object in the state, tainted, as a
       * failed provisioner does; the next plan replaces it.
       */
      tainted?: boolean;
    };
  };
  /** `ignore`: SIGINT is acknowledged but the operation never stops. */
  interrupt?: 'ignore';
  /** Directory standing in for the s3/gcs bucket. */
  remoteStorageDir?: string;
  /** File receiving one JSON line per invocation (argv, cwd, env names). */
  record?: string;
}

/**
 * One recorded invocation of the stand-in.
 *
 * @public
 */
export interface FakeTerraformInvocation {
  argv: string[];
  cwd: string;
  envKeys: string[];
  pid: number;
}

/**
 * A stand-in terraform with its scenario file in a directory of the test's.
 *
 * @public
 */
export class FakeTerraform {
  private constructor(
    readonly binary: string,
    readonly scenarioFile: string,
    private readonly recordFile: string,
  ) {}

  /** Creates the scenario file in `dir` (an empty scenario until set). */
  static create(options: { dir: string }): FakeTerraform {
    fs.mkdirSync(options.dir, { recursive: true });
    const fake = new FakeTerraform(
      fakeTerraformPath,
      path.join(options.dir, 'fake-terraform-scenario.json'),
      path.join(options.dir, 'fake-terraform-invocations.jsonl'),
    );
    fake.setScenario({});
    return fake;
  }

  /** The environment the stand-in needs to find its scenario. */
  get env(): Record<string, string> {
    return { [FAKE_TERRAFORM_SCENARIO_ENV]: this.scenarioFile };
  }

  /** Replaces the scenario; invocations keep being recorded. */
  setScenario(scenario: FakeTerraformScenario): void {
    writeFakeTerraformScenario(this.scenarioFile, {
      record: this.recordFile,
      ...scenario,
    });
  }

  /** Every invocation so far, oldest first. */
  invocations(): FakeTerraformInvocation[] {
    if (!fs.existsSync(this.recordFile)) return [];
    return fs
      .readFileSync(this.recordFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(line => JSON.parse(line));
  }
}

/**
 * Writes a scenario file for the stand-in.
 *
 * @public
 */
export function writeFakeTerraformScenario(
  file: string,
  scenario: FakeTerraformScenario,
): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(scenario, null, 2)}\n`);
}

/**
 * The steps of a scaffolder action example (`TemplateExample.example` YAML).
 *
 * @public
 */
export function parseTemplateExampleSteps(example: string): Array<{
  id?: string;
  name?: string;
  action: string;
  if?: string | boolean;
  input?: Record<string, unknown>;
}> {
  const doc = parseYaml(example);
  if (!doc || !Array.isArray(doc.steps)) {
    throw new Error(`example has no steps list: ${example.slice(0, 80)}`);
  }
  return doc.steps;
}
