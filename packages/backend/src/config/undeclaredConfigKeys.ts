import { Config } from '@backstage/config';
import { ConfigSchema, loadConfigSchema } from '@backstage/config-loader';

const UNDECLARED =
  /must NOT have additional properties \{ additionalProperty=(.+) \} at (\/\S*)$/;

/**
 * The keys the configuration sets that no installed package declares in its
 * config.d.ts: nothing reads them. Upstream removes settings (Backstage 1.55
 * dropped `catalog.stitchingStrategy`) without failing on configurations
 * that still set them, so a key that silently stopped working is found here.
 * Checked with config-loader's own `noUndeclaredProperties` over the schema
 * already loaded: objects whose schema lists properties accept no others.
 *
 * @returns dotted key paths, sorted; empty when every key is declared
 */
export async function undeclaredConfigKeys(
  config: Config,
  schema: ConfigSchema,
): Promise<string[]> {
  const serialized = schema.serialize();
  const strict = await loadConfigSchema({
    serialized,
    noUndeclaredProperties: true,
  });
  return [
    ...undeclaredTopLevelKeys(config, serialized),
    ...undeclaredNestedKeys(config, strict),
  ].sort();
}

/** The merged schema's root is no `type: object`, so the strict check skips it. */
function undeclaredTopLevelKeys(config: Config, serialized: any): string[] {
  const declared = new Set<string>(
    (serialized.schemas ?? []).flatMap((s: any) =>
      Object.keys(s.value?.properties ?? {}),
    ),
  );
  return config.keys().filter(key => !declared.has(key));
}

function undeclaredNestedKeys(config: Config, strict: ConfigSchema): string[] {
  try {
    strict.process([{ data: config.get() as any, context: 'app-config' }]);
    return [];
  } catch (error) {
    const messages = (error as { messages?: string[] }).messages ?? [];
    return messages
      .map(message => UNDECLARED.exec(message))
      .filter((m): m is RegExpExecArray => Boolean(m))
      .map(([, key, at]) => [...at.split('/').filter(Boolean), key].join('.'));
  }
}
