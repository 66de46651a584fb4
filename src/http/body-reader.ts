/**
 * Reads a request body into memory, up to a bound chosen per request: the signature check decides
 * how much a caller may send before the bytes are read (nothing for a refused signature, a token
 * amount for a presigned URL, the full limit once the access key and time are known).
 * Errors carry the `type` that express's own body parser uses, so the apps' error handlers map them.
 */
import type { IncomingMessage } from 'node:http';

export class BodyReadError extends Error {
  constructor(
    readonly type: 'entity.too.large' | 'encoding.unsupported' | 'request.aborted',
    readonly status: number,
    /** the bound that was exceeded (entity.too.large) */
    readonly limit?: number,
  ) {
    super(type);
  }
}

/** True when the request announces a body (a length above 0, or chunks). */
export function announcesBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

/** The body's bytes; refuses more than `limit` bytes (by Content-Length before reading, or while reading). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // the signature covers the bytes sent, and no SDK compresses a request body
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') return reject(new BodyReadError('encoding.unsupported', 415));
    const length = req.headers['content-length'];
    if (length !== undefined && Number(length) > limit) return reject(new BodyReadError('entity.too.large', 413, limit));
    if (req.readableEnded) return resolve(Buffer.alloc(0));
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        cleanup();
        // stop buffering; what is still coming is discarded by Node, never kept
        req.pause();
        chunks.length = 0;
        reject(new BodyReadError('entity.too.large', 413, limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
    };
    const onError = () => {
      cleanup();
      reject(new BodyReadError('request.aborted', 400));
    };
    const onAborted = onError;
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
