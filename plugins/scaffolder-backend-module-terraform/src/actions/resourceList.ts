import { Zod } from './zod';

/**
 * Resources with their action, as the actions output them: the address and
 * the action only, never attribute values.
 */
export function resourceList(
  resources: ReadonlyArray<{ address: string; action: string }>,
): Array<{ address: string; action: string }> {
  return resources.map(r => ({ address: r.address, action: r.action }));
}

/** The schema of a {@link resourceList}. */
export const resourceListSchema = (z: Zod) =>
  z.array(z.object({ address: z.string(), action: z.string() }));
