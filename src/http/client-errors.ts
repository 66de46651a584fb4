/**
 * Requests that never reach express: Node's HTTP parser refuses them (headers too large, a request
 * line it cannot read) or its timers give up on them (headers or body too slow). Node would answer
 * with a bare status line; we answer with a Volcengine error envelope instead, so a client sees the
 * same shape for every refusal.
 */
import { own } from '../lookup';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { errorEnvelope, newRequestId } from './envelope';
import { ApiError, apiError, invalidParameter } from '../error-catalogue';

/**
 * Request line + headers. Large enough for the largest legal GET (a 30720-byte SecretValue
 * percent-encoded in the query is up to 92160 characters), small enough to bound what the parser buffers.
 */
export const MAX_HEADER_BYTES = 128 * 1024;

/** Time allowed to receive a whole request (headers and body). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Node's HTTP server settings that enforce the limits above. */
export function httpServerLimits(requestTimeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS): http.ServerOptions {
  return {
    maxHeaderSize: MAX_HEADER_BYTES,
    requestTimeout: requestTimeoutMs,
    headersTimeout: requestTimeoutMs,
    // Node checks the two timeouts on this interval (30 s by default, which would let a request live up to twice as long).
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(requestTimeoutMs / 4))),
  };
}

/** Parser and timer error codes → the catalogue error we answer with. Anything else is a request we could not read. */
const CLIENT_ERRORS: Readonly<Record<string, (limits: { requestTimeoutMs: number }) => ApiError>> = {
  HPE_HEADER_OVERFLOW: () => apiError('RequestEntityTooLarge', 'header', `${MAX_HEADER_BYTES} bytes`),
  // both timeouts (headers too slow, body too slow) arrive as this code
  ERR_HTTP_REQUEST_TIMEOUT: ({ requestTimeoutMs }) => apiError('RequestTimeout', `${requestTimeoutMs} ms`),
};

function clientApiError(code: string | undefined, requestTimeoutMs: number): ApiError {
  const known = code ? own(CLIENT_ERRORS, code) : undefined;
  return known ? known({ requestTimeoutMs }) : invalidParameter('Request', 'The HTTP request could not be parsed.');
}

/** The raw HTTP/1.1 response text for a refused request (the connection is closed after it). */
export function clientErrorResponse(error: ApiError, requestId = newRequestId()): string {
  const body = JSON.stringify(errorEnvelope({ requestId, action: '', version: '', region: 'cn-beijing' }, error));
  return [
    `HTTP/1.1 ${error.status} ${http.STATUS_CODES[error.status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

type SocketWithResponse = Duplex & { _httpMessage?: { headersSent?: boolean } | null };

/**
 * The http.Server 'clientError' listener. Writes an envelope when nothing of a response was sent
 * yet (as Node itself does with its bare answers), then closes the connection. Returns the error
 * answered, or null when the client was already gone.
 */
export function answerClientError(
  err: NodeJS.ErrnoException,
  socket: Duplex,
  limits: { requestTimeoutMs: number; /** the answer's RequestId (the audit log records it too) */ requestId?: string },
): ApiError | null {
  const s = socket as SocketWithResponse;
  if (err.code === 'ECONNRESET' || !s.writable) {
    s.destroy();
    return null;
  }
  const error = clientApiError(err.code, limits.requestTimeoutMs);
  if (!s._httpMessage?.headersSent) s.end(clientErrorResponse(error, limits.requestId));
  else s.destroy();
  return error;
}
