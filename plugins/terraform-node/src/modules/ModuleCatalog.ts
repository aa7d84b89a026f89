import { InputError, NotFoundError } from '@backstage/errors';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  checkTypeConstraint,
  describeTypeConstraint,
  parseTypeConstraint,
  TypeConstraint,
} from './TypeConstraint';

/**
 * A variable a vetted module declares.
 *
 * @public
 */
export interface TerraformModuleVariable {
  /** The type constraint, as written in `variables.tf`. */
  type: string;
  description: string;
  /** Whether a value must be given (the variable has no default). */
  required: boolean;
  /** The default, when not required. */
  default?: unknown;
  /** Sensitive values never reach logs, outputs or errors. */
  sensitive: boolean;
  /** A regular expression string values must match (the module's validation). */
  pattern?: string;
  /** Why a value that does not match `pattern` is refused. */
  patternMessage?: string;
}

/**
 * A vetted module under the modules directory, described by its
 * `module.json` manifest (kept equal to its `.tf` files by a test).
 *
 * @public
 */
export interface TerraformModule {
  name: string;
  title: string;
  description: string;
  variables: Record<string, TerraformModuleVariable>;
  outputs: Record<string, { description: string; sensitive: boolean }>;
  /** The managed resources the module declares (`type.name`). */
  resources: string[];
  /**
   * What a component's connection Secret holds: each key of the Secret and
   * the output whose value it takes (`{ "PGHOST": "endpoint" }`). Empty
   * when the module gives no connection details.
   */
  connection: Record<string, string>;
}

interface LoadedModule extends TerraformModule {
  dir: string;
  types: Record<string, TypeConstraint>;
}

const MODULE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MODULE_FILE = /\.(tf|tf\.json|tftpl)$|^\.terraform\.lock\.hcl$/;

/**
 * The vetted Terraform modules, read from their manifests, and the checks
 * that a request's variables fit a module.
 *
 * @public
 */
export class ModuleCatalog {
  readonly #dir: string;
  readonly #modules: Map<string, LoadedModule>;

  private constructor(options: {
    dir: string;
    modules: Map<string, LoadedModule>;
  }) {
    this.#dir = options.dir;
    this.#modules = options.modules;
  }

  /** Reads every `<dir>/<name>/module.json`. */
  static async load(dir: string): Promise<ModuleCatalog> {
    let entries: string[];
    try {
      entries = (await fs.readdir(dir, { withFileTypes: true }))
        .filter(e => e.isDirectory())
        .map(e => e.name)
        .sort();
    } catch (error) {
      throw new NotFoundError(
        `Terraform modules directory ${dir} cannot be read (paved.terraform.modulesDir): ${
          (error as Error).message
        }`,
      );
    }
    const modules = new Map<string, LoadedModule>();
    for (const name of entries) {
      const manifestPath = path.join(dir, name, 'module.json');
      let text: string;
      try {
        text = await fs.readFile(manifestPath, 'utf8');
      } catch {
        continue;
      }
      modules.set(name, parseManifest(name, path.join(dir, name), text));
    }
    return new ModuleCatalog({ dir, modules });
  }

  /** Every module, by name. */
  list(): TerraformModule[] {
    return [...this.#modules.values()].map(({ dir: _d, types: _t, ...m }) => m);
  }

  /** The module's directory; an InputError naming the field if unknown. */
  get(name: unknown): TerraformModule & { dir: string } {
    if (typeof name !== 'string' || !MODULE_NAME.test(name)) {
      throw new InputError(
        `module: expected the name of a vetted module (lowercase letters, digits and dashes), got ${JSON.stringify(
          name,
        )}`,
      );
    }
    const mod = this.#modules.get(name);
    if (!mod) {
      throw new InputError(
        `module: unknown module "${name}"; available: ${
          [...this.#modules.keys()].join(', ') || `none in ${this.#dir}`
        }`,
      );
    }
    const { types: _t, ...rest } = mod;
    return rest;
  }

  /** The files of a module that make up its configuration. */
  async files(name: string): Promise<string[]> {
    const mod = this.get(name);
    return (await fs.readdir(mod.dir))
      .filter(f => MODULE_FILE.test(f))
      .sort()
      .map(f => path.join(mod.dir, f));
  }

  /**
   * Checks variables against the module's declarations: no undeclared
   * names, every required one given, each value of its declared type and
   * matching the module's pattern. Returns the values to write, without
   * nulls (Terraform then uses the default). Throws an InputError listing
   * every problem, each naming its field.
   */
  validateVariables(
    moduleName: string,
    variables: unknown,
  ): Record<string, unknown> {
    const mod = this.get(moduleName);
    const types = this.#modules.get(moduleName)!.types;
    if (
      variables !== undefined &&
      (typeof variables !== 'object' ||
        variables === null ||
        Array.isArray(variables))
    ) {
      throw new InputError(
        `variables: expected an object of variable values, got ${
          Array.isArray(variables) ? 'a list' : typeof variables
        }`,
      );
    }
    const given = (variables ?? {}) as Record<string, unknown>;
    const errors: string[] = [];
    const values: Record<string, unknown> = {};
    for (const name of Object.keys(given)) {
      if (!(name in mod.variables)) {
        errors.push(
          `variables.${name}: not declared by module "${moduleName}" (declared: ${Object.keys(
            mod.variables,
          ).join(', ')})`,
        );
      }
    }
    for (const [name, def] of Object.entries(mod.variables)) {
      const value = given[name];
      const field = `variables.${name}`;
      if (value === undefined || value === null) {
        if (def.required)
          errors.push(
            `${field}: missing, required (${describeTypeConstraint(
              types[name],
            )})`,
          );
        continue;
      }
      const typeErrors = checkTypeConstraint(types[name], value, field);
      errors.push(...typeErrors);
      if (
        !typeErrors.length &&
        def.pattern &&
        typeof value === 'string' &&
        !new RegExp(def.pattern).test(value)
      ) {
        errors.push(
          `${field}: ${def.patternMessage ?? 'invalid value'} (must match ${
            def.pattern
          })${def.sensitive ? '' : `, got ${JSON.stringify(value)}`}`,
        );
      }
      values[name] = value;
    }
    if (errors.length) {
      throw new InputError(
        `Invalid variables for module "${moduleName}": ${errors.join('; ')}`,
      );
    }
    return values;
  }

  /** The names of the module's sensitive variables. */
  sensitiveVariables(moduleName: string): string[] {
    return Object.entries(this.get(moduleName).variables)
      .filter(([, v]) => v.sensitive)
      .map(([n]) => n);
  }
}

function parseManifest(name: string, dir: string, text: string): LoadedModule {
  const where = path.join(dir, 'module.json');
  let json: any;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: invalid JSON: ${(error as Error).message}`);
  }
  if (json.name !== name) {
    throw new Error(
      `${where}: name "${json.name}" differs from folder ${name}`,
    );
  }
  const variables: Record<string, TerraformModuleVariable> = {};
  const types: Record<string, TypeConstraint> = {};
  for (const [v, def] of Object.entries<any>(json.variables ?? {})) {
    try {
      types[v] = parseTypeConstraint(def.type);
      if (def.pattern) RegExp(def.pattern).test('');
    } catch (error) {
      throw new Error(`${where}: variable ${v}: ${(error as Error).message}`);
    }
    variables[v] = {
      type: def.type,
      description: def.description ?? '',
      required: !('default' in def),
      ...('default' in def ? { default: def.default } : {}),
      sensitive: def.sensitive === true,
      ...(def.pattern ? { pattern: def.pattern } : {}),
      ...(def.patternMessage ? { patternMessage: def.patternMessage } : {}),
    };
  }
  const outputs: TerraformModule['outputs'] = {};
  for (const [o, def] of Object.entries<any>(json.outputs ?? {})) {
    outputs[o] = {
      description: def.description ?? '',
      sensitive: def.sensitive === true,
    };
  }
  return {
    name,
    connection: parseConnection(where, json.connection, outputs),
    title: json.title ?? name,
    description: json.description ?? '',
    variables,
    outputs,
    resources: json.resources ?? [],
    dir,
    types,
  };
}

const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/** The `connection` of a manifest: Secret keys, each naming a declared output. */
function parseConnection(
  where: string,
  connection: unknown,
  outputs: TerraformModule['outputs'],
): Record<string, string> {
  if (connection === undefined) return {};
  if (
    typeof connection !== 'object' ||
    !connection ||
    Array.isArray(connection)
  ) {
    throw new Error(
      `${where}: connection: expected an object of Secret keys to output names`,
    );
  }
  const result: Record<string, string> = {};
  for (const [key, output] of Object.entries(connection)) {
    if (!SECRET_KEY.test(key)) {
      throw new Error(
        `${where}: connection.${key}: not a valid Secret key (letters, digits, '-', '_' or '.')`,
      );
    }
    if (typeof output !== 'string' || !(output in outputs)) {
      throw new Error(
        `${where}: connection.${key}: expected the name of a declared output (${Object.keys(
          outputs,
        ).join(', ')}), got ${JSON.stringify(output)}`,
      );
    }
    result[key] = output;
  }
  return result;
}
