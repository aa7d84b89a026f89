import { InputError } from '@backstage/errors';
import { CreateForgeRepositoryOptions } from '../LocalForge';
import { ForgeMetadata } from '../storage/ForgeStorage';

const TOPIC_PATTERN = /^[a-z0-9][a-z0-9-]{0,49}$/;

/**
 * The metadata a create request asks for, checked against GitHub's rules for
 * visibility, topics and description (so a repository can move there).
 */
export function validateMetadata(
  options: CreateForgeRepositoryOptions,
): ForgeMetadata {
  const visibility = options.visibility ?? 'private';
  if (visibility !== 'private' && visibility !== 'internal') {
    throw new InputError(
      `Invalid visibility ${JSON.stringify(
        visibility,
      )}: expected 'private' or 'internal'`,
    );
  }
  const topics = options.topics ?? [];
  if (topics.length > 20) {
    throw new InputError(
      `Too many topics (${topics.length}): at most 20 are allowed`,
    );
  }
  for (const topic of topics) {
    if (!TOPIC_PATTERN.test(topic)) {
      throw new InputError(
        `Invalid topic ${JSON.stringify(
          topic,
        )}: expected lowercase letters, digits and hyphens, starting with a letter or digit, at most 50 characters`,
      );
    }
  }
  const description = options.description?.trim();
  if (description && description.length > 350) {
    throw new InputError(
      `Description too long (${description.length} characters): at most 350 are allowed`,
    );
  }
  return {
    description: description || undefined,
    topics: [...new Set(topics)],
    visibility,
  };
}
