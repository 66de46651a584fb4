/**
 * The express edge: keep the raw body (the signature covers its bytes), answer /healthz, and hand
 * every other request to the Dispatcher. Whatever goes wrong here still answers with an envelope.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { WireRequest } from './authenticate';
import type { DispatchRecord, Dispatcher } from './dispatcher';
import { errorEnvelope, newRequestId } from './envelope';
import { ApiError, apiError, invalidParameter } from './error-catalogue';

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface RequestObserver {
  (record: DispatchRecord & { durationMs: number; method: string; path: string }): void;
}

export interface AppOptions {
  dispatcher: Dispatcher;
  observe?: RequestObserver;
  /** extra routes mounted before the API (the local control API) */
  mount?: (app: express.Express) => void;
}

export function toWireRequest(req: Request): WireRequest {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? [] : [...new URLSearchParams(url.slice(q + 1))];
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return { method: req.method, path, query, headers, body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0) };
}

function bodyError(err: unknown): ApiError {
  const type = (err as { type?: string }).type;
  if (type === 'entity.too.large') return apiError('RequestEntityTooLarge', 'body', `${MAX_BODY_BYTES} bytes`);
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

  // inflate off: the signature covers the bytes sent, and no SDK compresses a request body
  app.use(express.raw({ type: () => true, limit: MAX_BODY_BYTES, inflate: false }));

  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    const requestId = newRequestId();
    try {
      const result = await options.dispatcher.dispatch(toWireRequest(req), requestId);
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
