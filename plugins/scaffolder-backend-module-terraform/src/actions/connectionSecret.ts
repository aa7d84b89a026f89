import { InputError } from '@backstage/errors';
import { TerraformModule, TerraformOutput } from '@paved/plugin-terraform-node';

/** The Secret that carries a workspace's connection details: `<workspace>-connection`. */
export function connectionSecretName(workspace: string): string {
  return `${workspace}-connection`;
}

/** An output's value as a Secret value: strings as they are, anything else as JSON. */
function secretValue(value: TerraformOutput['value']): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The connection Secret of a workspace: each key of the module's
 * `connection` (module.json) with the value of its output. Values are
 * base64 in `data`, never in a log line; the labels of Paved's convention
 * are added by the provisioner's apply.
 */
export function connectionSecret(options: {
  workspace: string;
  module: TerraformModule;
  outputs: Record<string, TerraformOutput>;
}) {
  const { workspace, module, outputs } = options;
  const keys = Object.entries(module.connection);
  if (keys.length === 0) {
    throw new InputError(
      `module: module "${module.name}" declares no connection details (module.json "connection")`,
    );
  }
  const missing = keys.filter(([, output]) => !(output in outputs));
  if (missing.length) {
    throw new InputError(
      `workspace: workspace ${workspace} has no output ${missing
        .map(([, o]) => o)
        .join(
          ', ',
        )}; apply the module before publishing its connection details`,
    );
  }
  const data = Object.fromEntries(
    keys.map(([key, output]) => [
      key,
      Buffer.from(secretValue(outputs[output].value), 'utf8').toString(
        'base64',
      ),
    ]),
  );
  return {
    manifest: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: connectionSecretName(workspace) },
      type: 'Opaque',
      data,
    },
    keys: keys.map(([key]) => key),
  };
}
