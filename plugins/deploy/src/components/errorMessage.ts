import { ResponseError } from '@backstage/errors';

/** What went wrong, in the backend's words when it answered with an error. */
export function errorMessage(error: Error): string {
  if (error.name === 'ResponseError') {
    const { cause, statusCode } = error as ResponseError;
    if (cause?.message) return `${cause.message} (HTTP ${statusCode})`;
  }
  return error.message;
}
