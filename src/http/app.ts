/**
 * The express edge: keep the raw body (the signature covers its bytes), answer /healthz, and hand
 * every other request to the Dispatcher. Whatever goes wrong here still answers with an envelope.
 */
import { record } from '../lookup';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { PendingAuthentication, WireHead, WireRequest } from './authenticate';
import { announcesBody, readBody } from './body-reader';
import type { DispatchRecord, Dispatcher } from './dispatcher';
import { errorEnvelope, newRequestId } from './envelope';
import { ApiError, apiError, invalidParameter } from '../error-catalogue';

export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/**
 * The most body read before the signature is known to be good: a header-signed request that does not
 * declare X-Content-Sha256 (every official SDK declares it when there is a body) needs its body to be
 * checked, so it may send this much; a declared hash lets the signature be checked before reading.
 */
export const UNDECLARED_HASH_BODY_BYTES = 64 * 1024;
/** Stands for "a body was sent" where a presigned URL is refused without reading it. */
const SOME_BODY = Buffer.from([0]);

export interface RequestObserver {
  (record: DispatchRecord & { durationMs: number; method: string; path: string }): void;
}

export interface AppOptions {
  dispatcher: Dispatcher;
  observe?: RequestObserver;
  /** extra routes mounted before the API (the local control API) */
  mount?: (app: express.Express) => void;
}

export function toWireHead(req: Request): WireHead {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? [] : [...new URLSearchParams(url.slice(q + 1))];
  // no prototype: SignedHeaders may name `__proto__` or `constructor`, which must read as absent
  const headers = record<string>();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return { method: req.method, path, query, headers };
}

export function toWireRequest(req: Request): WireRequest {
  return { ...toWireHead(req), body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0) };
}

/**
 * Reads the body as far as the signature check allows: nothing when it already failed or the URL is
 * presigned (it signs no body), the full limit once the signature is good or its hash is declared.
 */
export async function readSignedBody(req: Request, res: Response, pending: PendingAuthentication | null, limit: number): Promise<Buffer> {
  if (pending === null || !pending.bodySigned) {
    if (!announcesBody(req)) return Buffer.alloc(0);
    // the unread body is not worth receiving: end the connection after the answer
    res.setHeader('Connection', 'close');
    return SOME_BODY;
  }
  const body = await readBody(req, limit);
  req.body = body;
  return body;
}

function bodyError(err: unknown): ApiError {
  const type = (err as { type?: string }).type;
  if (type === 'entity.too.large') {
    const limit = (err as { limit?: number }).limit ?? MAX_BODY_BYTES;
    if (limit === UNDECLARED_HASH_BODY_BYTES) {
      return apiError('RequestEntityTooLarge', 'body', `${limit} bytes without an X-Content-Sha256 header (send the body's SHA-256 in it to send more)`);
    }
    return apiError('RequestEntityTooLarge', 'body', `${limit} bytes`);
  }
  if (type === 'encoding.unsupported') return invalidParameter('Content-Encoding', 'Send the body uncompressed (the signature covers its bytes).');
  return invalidParameter('Body', 'The body could not be read.');
}

/** An error the body reader raised about the request (http-errors with a 4xx status), not a fault of ours. */
function isBodyReadError(err: unknown): boolean {
  const e = err as { type?: unknown; status?: unknown };
  return typeof e.type === 'string' || (typeof e.status === 'number' && e.status >= 400 && e.status < 500);
}

export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', false);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  options.mount?.(app);

  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    const requestId = newRequestId();
    try {
      // the signature is checked as far as it can be before a byte of the body is read
      const head = toWireHead(req);
      let pending: PendingAuthentication | null = null;
      // a refusal is answered by the dispatcher like any other (envelope, audit), with the body unread
      let authentication: Pick<PendingAuthentication, 'finish'>;
      try {
        pending = options.dispatcher.begin(head);
        authentication = pending;
      } catch (e) {
        authentication = {
          finish: () => {
            throw e;
          },
        };
      }
      const declared = head.headers['x-content-sha256'] !== undefined;
      const body = await readSignedBody(req, res, pending, declared ? MAX_BODY_BYTES : UNDECLARED_HASH_BODY_BYTES);
      const result = await options.dispatcher.dispatch({ ...head, body }, requestId, authentication);
      res.status(result.status).json(result.body);
      options.observe?.({ ...result.record, method: req.method, path: req.path, durationMs: performance.now() - started });
    } catch (e) {
      next(e);
    }
  });

  // Body-reading failures and anything unforeseen: still a Volcengine envelope, never HTML.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = newRequestId();
    const error = err instanceof ApiError ? err : isBodyReadError(err) ? bodyError(err) : apiError('UndefinedError');
    if (res.headersSent) return;
    // The body was never read, but the query names the Action: answer in its name, as every other refusal does.
    const { query } = toWireRequest(req);
    const action = query.find(([k]) => k === 'Action')?.[1] ?? null;
    const version = query.find(([k]) => k === 'Version')?.[1] ?? null;
    res.status(error.status).json(errorEnvelope({ requestId, action: action ?? '', version: version ?? '', region: 'cn-beijing' }, error));
    options.observe?.({
      requestId,
      action,
      version,
      accessKeyId: null,
      accountId: null,
      region: null,
      secretName: null,
      status: error.status,
      errorCode: error.code,
      method: req.method,
      path: req.path,
      durationMs: 0,
    });
  });
  return app;
}
