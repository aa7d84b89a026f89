import crypto from 'node:crypto';

/**
 * Verifies a GitHub App's JSON Web Token (RS256, signed with the app's
 * private key) against the app's public key.
 *
 * @returns the app id the token was issued for, or undefined when the token
 *   is malformed, wrongly signed or expired
 */
export function verifyAppJwt(
  jwt: string,
  publicKeys: Map<string, crypto.KeyObject>,
): string | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts;
  let claims: { iss?: string | number; exp?: number; iat?: number };
  try {
    const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    if (head.alg !== 'RS256') return undefined;
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const appId = String(claims.iss ?? '');
  const key = publicKeys.get(appId);
  if (!key) return undefined;
  const valid = crypto.verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    key,
    Buffer.from(signature, 'base64url'),
  );
  const now = Math.floor(Date.now() / 1000);
  if (!valid || typeof claims.exp !== 'number' || claims.exp < now) {
    return undefined;
  }
  return appId;
}
