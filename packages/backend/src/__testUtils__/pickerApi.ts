/**
 * Calls of a child backend's /api as the sign-in picker's users (the
 * embedded default's picker provider), shared by the real-backend suites.
 */

/** `Bearer <token>` of a catalogue user, from the picker, fetched once per user. */
export function pickerAuthorization(baseUrl: string) {
  const tokens = new Map<string, string>();
  return async (user: string): Promise<string> => {
    if (!tokens.has(user)) {
      const res = await fetch(`${baseUrl}/api/auth/picker/refresh`, {
        headers: {
          'x-requested-with': 'XMLHttpRequest',
          'x-paved-picker-user': user,
        },
      });
      if (!res.ok) throw new Error(`no token for ${user}: ${res.status}`);
      tokens.set(user, (await res.json()).backstageIdentity.token);
    }
    return `Bearer ${tokens.get(user)}`;
  };
}

/** One GET (no body) or POST of /api with an Authorization header; JSON answers parsed, others as text. */
export async function callApi(
  baseUrl: string,
  authorization: string,
  route: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/api${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    return { status: res.status, body: text };
  }
}
