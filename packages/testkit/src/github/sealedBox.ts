/** Actions secrets arrive as libsodium sealed boxes for the repository's key. */
import sodium from 'libsodium-wrappers';

/** Opens a base64 sealed box with a key pair; throws when it does not open. */
export async function openSealedBox(
  keyPair: { publicKey: Uint8Array; privateKey: Uint8Array },
  encrypted: string,
): Promise<Uint8Array> {
  await sodium.ready;
  return sodium.crypto_box_seal_open(
    sodium.from_base64(encrypted, sodium.base64_variants.ORIGINAL),
    keyPair.publicKey,
    keyPair.privateKey,
  );
}
