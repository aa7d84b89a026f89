import { InputError } from '@backstage/errors';
import {
  CreateRepositoryOptions,
  MAX_TOPICS,
  topicProblem,
} from '@paved/plugin-publish-node';
import { ForgeMetadata } from '../storage/ForgeStorage';

const GROUP_REF = /^group:[a-z0-9][-_.a-z0-9]*\/[a-z0-9][-_.a-z0-9]*$/;

/**
 * The metadata a create request asks for, checked against GitHub's rules for
 * visibility, topics and description (so a repository can move there).
 */
export function validateMetadata(
  options: CreateRepositoryOptions,
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
  if (topics.length > MAX_TOPICS) {
    throw new InputError(
      `Too many topics (${topics.length}): at most ${MAX_TOPICS} are allowed`,
    );
  }
  for (const topic of topics) {
    const problem = topicProblem(topic);
    if (problem) {
      throw new InputError(
        `Invalid topic ${JSON.stringify(topic)}: ${problem}`,
      );
    }
  }
  const description = options.description?.trim();
  if (description && description.length > 350) {
    throw new InputError(
      `Description too long (${description.length} characters): at most 350 are allowed`,
    );
  }
  const ownerGroup = options.ownerGroup?.trim().toLocaleLowerCase('en-US');
  if (ownerGroup !== undefined && !GROUP_REF.test(ownerGroup)) {
    throw new InputError(
      `ownerGroup: "${options.ownerGroup}" is not a group entity ref; expected group:<namespace>/<name>, e.g. group:default/storefront`,
    );
  }
  return {
    description: description || undefined,
    topics: [...new Set(topics)],
    visibility,
    // Left out when not given, so adopting keeps the recorded owner.
    ...(ownerGroup && { ownerGroup }),
  };
}
