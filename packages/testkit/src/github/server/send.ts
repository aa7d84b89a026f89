/** Writes an answer: JSON, or the raw bytes of a file. */
import http from 'node:http';

/** Sends a status, body and headers; JSON unless the body is a Buffer. */
export function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
) {
  if (Buffer.isBuffer(body)) {
    // A raw media type (file contents): the handler names its type.
    res.writeHead(status, {
      ...headers,
      'content-length': String(body.length),
    });
    res.end(body);
    return;
  }
  const payload =
    body === undefined || status === 204 ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(payload
      ? {
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(Buffer.byteLength(payload)),
        }
      : {}),
  });
  res.end(payload);
}
