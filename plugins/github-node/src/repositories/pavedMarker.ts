import { InputError } from '@backstage/errors';

/** The topic that says Paved created the repository. */
export const PAVED_MANAGED_TOPIC = 'paved-managed';

/** The topic prefix that names the owning group: `paved-owner-storefront`. */
export const PAVED_OWNER_TOPIC_PREFIX = 'paved-owner-';

const TOPIC_SAFE_NAME = /^[a-z0-9][a-z0-9-]*$/;
const MAX_TOPIC = 50;

/** Whether a topic is one of Paved's marker topics, which forms may not set. */
export function isMarkerTopic(topic: string): boolean {
  return (
    topic === PAVED_MANAGED_TOPIC || topic.startsWith(PAVED_OWNER_TOPIC_PREFIX)
  );
}

/**
 * Paved's marker on a GitHub repository as topics: `paved-managed` and
 * `paved-owner-<group>`, for a group of the default namespace whose name
 * a topic can hold (lowercase letters, digits and hyphens).
 *
 * @public
 */
export function markerTopicsOf(ownerGroup: string): string[] {
  const m = /^group:default\/(.+)$/i.exec(ownerGroup.trim());
  const name = m?.[1].toLocaleLowerCase('en-US') ?? '';
  if (
    !TOPIC_SAFE_NAME.test(name) ||
    PAVED_OWNER_TOPIC_PREFIX.length + name.length > MAX_TOPIC
  ) {
    throw new InputError(
      `owner: "${ownerGroup}" cannot be recorded as the owner of a GitHub repository; Paved records it as the topic ${PAVED_OWNER_TOPIC_PREFIX}<name>, which needs a group of the default namespace named with lowercase letters, digits and hyphens, at most ${
        MAX_TOPIC - PAVED_OWNER_TOPIC_PREFIX.length
      } characters`,
    );
  }
  return [PAVED_MANAGED_TOPIC, `${PAVED_OWNER_TOPIC_PREFIX}${name}`];
}

/**
 * The owning group Paved's marker topics name: undefined unless both
 * `paved-managed` and exactly one `paved-owner-<group>` are there.
 *
 * @public
 */
export function ownerGroupOfTopics(topics: string[]): string | undefined {
  if (!topics.includes(PAVED_MANAGED_TOPIC)) return undefined;
  const owners = topics.filter(t => t.startsWith(PAVED_OWNER_TOPIC_PREFIX));
  if (owners.length !== 1) return undefined;
  return `group:default/${owners[0].slice(PAVED_OWNER_TOPIC_PREFIX.length)}`;
}
