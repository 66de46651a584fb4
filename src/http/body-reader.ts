/**
 * Reads a request body into memory, up to a bound chosen per request: the signature check decides
 * how much a caller may send before the bytes are read (nothing for a refused signature, a token
 * amount for a presigned URL, the full limit once the access key and time are known).
 * Errors carry the `type` that express's own body parser uses, so the apps' error handlers map them.
 */
import type { IncomingMessage } from 'node:http';

/**
 * Bytes being held, server-wide, for bodies whose signature is not verified yet. Where a signature
 * needs the whole body (the Huawei SDKs never declare its hash), this bounds what unverified callers
 * can make the server hold together, whatever the number of connections.
 */
export class ByteBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  take(n: number): boolean {
    if (this.used + n > this.limit) return false;
    this.used += n;
    return true;
  }

  give(n: number): void {
    this.used = Math.max(0, this.used - n);
  }

  get inUse(): number {
    return this.used;
  }
}

export class BodyReadError extends Error {
  constructor(
    readonly type: 'entity.too.large' | 'encoding.unsupported' | 'request.aborted' | 'budget.exhausted',
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

/**
 * The body's bytes; refuses more than `limit` bytes (by Content-Length before reading, or while reading),
 * and, with a `budget`, more than the budget has left (released once the body is read or refused).
 */
export function readBody(req: IncomingMessage, limit: number, budget?: ByteBudget): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // the signature covers the bytes sent, and no SDK compresses a request body
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') return reject(new BodyReadError('encoding.unsupported', 415));
    const length = req.headers['content-length'];
    if (length !== undefined && Number(length) > limit) return reject(new BodyReadError('entity.too.large', 413, limit));
    if (req.readableEnded) return resolve(Buffer.alloc(0));
    const chunks: Buffer[] = [];
    let received = 0;
    let taken = 0;
    const cleanup = () => {
      budget?.give(taken);
      taken = 0;
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
      if (budget) {
        if (!budget.take(chunk.length)) {
          cleanup();
          req.pause();
          chunks.length = 0;
          reject(new BodyReadError('budget.exhausted', 503));
          return;
        }
        taken += chunk.length;
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
