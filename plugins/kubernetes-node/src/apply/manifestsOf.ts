import { InputError } from '@backstage/errors';
import { ApplyOptions, ManifestLimits } from '../KubernetesProvisioner';
import {
  KubernetesManifest,
  assertManifest,
  assertManifestSize,
  parseManifests,
} from './parseManifests';

/** The objects of apply's `manifests`, YAML text or a list, within the limits. */
export function manifestsOf(
  input: ApplyOptions['manifests'],
  limits: ManifestLimits,
): KubernetesManifest[] {
  let manifests: KubernetesManifest[];
  if (typeof input === 'string') {
    manifests = parseManifests(input, {
      maxBytes: limits.maxManifestBytes,
      maxDocuments: limits.maxDocuments,
    });
  } else {
    if (!Array.isArray(input)) {
      throw new InputError(
        'manifests: expected YAML text or a list of Kubernetes objects',
      );
    }
    assertManifestSize(
      Buffer.byteLength(JSON.stringify(input)),
      limits.maxManifestBytes,
    );
    if (input.length > limits.maxDocuments) {
      throw new InputError(
        `manifests: ${input.length} objects; at most ${limits.maxDocuments} are allowed (paved.kubernetes.maxDocuments)`,
      );
    }
    manifests = input.map((m, i) =>
      assertManifest(m, `manifests: document ${i + 1}`),
    );
  }
  if (manifests.length === 0) {
    throw new InputError('manifests: no Kubernetes objects found');
  }
  return manifests;
}
