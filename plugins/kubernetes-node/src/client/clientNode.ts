import type * as ClientNode from '@kubernetes/client-node';

/** The `@kubernetes/client-node` module. */
export type ClientNodeModule = typeof ClientNode;

let loaded: ClientNodeModule | undefined;

/**
 * Loads `@kubernetes/client-node` on first use. The client costs about 90 MB
 * of memory once loaded (and it is not the copy the Backstage kubernetes
 * backend uses, which loads its own lazily too), so the backend does not pay
 * for it at start, and a portal with no cluster configured never loads it.
 */
export async function loadClientNode(): Promise<ClientNodeModule> {
  // require, not import(): Jest has no ES module loader, and Node 22 requires this ES module as the rest of the backend bundle does.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@kubernetes/client-node') as ClientNodeModule;
  return loaded;
}
