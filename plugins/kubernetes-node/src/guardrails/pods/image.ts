import { ContainerRule } from './ContainerRule';

/** Why an image reference is refused (not pinned to a version tag or a digest); undefined when it may run. */
export function imageProblem(image: unknown): string | undefined {
  if (typeof image !== 'string' || !image) {
    return 'is missing';
  }
  if (image.includes('@sha256:')) {
    return undefined;
  }
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon <= lastSlash) {
    return `"${image}" has no tag; pin a version (e.g. ${image}:1.2.3) or a digest`;
  }
  if (image.slice(colon + 1) === 'latest') {
    return `"${image}" uses the latest tag; pin a version or a digest`;
  }
  return undefined;
}

/** An image pinned to a version tag or a digest. */
export const checkPinnedImage: ContainerRule = (c, { path, report }) => {
  const image = imageProblem(c?.image);
  if (image) report(`${path}.image`, image);
};
