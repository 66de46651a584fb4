/**
 * The express edge: keep the raw body (the signature covers its bytes), answer /healthz, and hand
 * every other request to the Dispatcher. Whatever goes wrong here still answers with an envelope.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
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
  return wireHead(req, req.originalUrl);
}

/** The head of a request as node parsed it; `url` is the full URL (express's originalUrl inside a mounted route). */
function wireHead(req: IncomingMessage, url: string): WireHead {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? [] : [...new URLSearchParams(url.slice(q + 1))];
  return { method: req.method ?? 'GET', path, query, headers: headersOf(req) };
}

/**
 * Node's own header object, uncopied: node joins repeated headers into one string, all but
 * `set-cookie` (an array), and only then is a copy made. The object has a prototype, so a header
 * named by the client (SignedHeaders) is read with own(), never by plain indexing.
 */
function headersOf(req: IncomingMessage): WireHead['headers'] {
  const headers = req.headers;
  if (headers['set-cookie'] === undefined) return headers as WireHead['headers'];
  const copy = record<string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) copy[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return copy;
}

/**
 * Reads the body as far as the signature check allows: nothing when it already failed or the URL is
 * presigned (it signs no body), the full limit once the signature is good or its hash is declared.
 */
export async function readSignedBody(req: IncomingMessage, res: ServerResponse, pending: PendingAuthentication | null, limit: number): Promise<Buffer> {
  if (pending === null || !pending.bodySigned) {
    if (!announcesBody(req)) return Buffer.alloc(0);
    // the unread body is not worth receiving: end the connection after the answer
    res.setHeader('Connection', 'close');
    return SOME_BODY;
  }
  return readBody(req, limit);
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

/**
 * The bytes express's `res.status(n).json(body)` sends (its default settings: no replacer, no spaces,
 * no escaping, no ETag), without its per-call header and charset handling.
 */
export function sendJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * `/?...`: the API's only path with a query, as every SDK call has (Action and Version at least). No
 * other route serves it; a bare `/` goes through express, where the console sends browsers on.
 */
function isApiCall(url: string | undefined): boolean {
  return url !== undefined && url.charCodeAt(0) === 47 && url.charCodeAt(1) === 63;
}

/**
 * The server's listener: requests to `/?...` (every Volcengine Action) go straight to the API handler;
 * the rest (health, the console, the control API, the Huawei door, and anything unknown, which the API
 * answers too) go through express's router. The API handler needs only node's request and response.
 */
export function createListener(options: AppOptions): RequestListener {
  const api = apiHandler(options);
  const app = createApp(options, api);
  return (req, res) => {
    if (isApiCall(req.url)) api(req, res);
    else app(req, res);
  };
}

/** express's req.path where express routed the request; on the direct path the URL's own (it starts with `/`). */
function pathOf(req: IncomingMessage, urlPath: string): string {
  return (req as Partial<Request>).path ?? urlPath;
}

type ApiHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function apiHandler(options: AppOptions): ApiHandler {
  return async (req, res) => {
    const started = performance.now();
    const requestId = newRequestId();
    try {
      // the signature is checked as far as it can be before a byte of the body is read
      const head = wireHead(req, (req as Partial<Request>).originalUrl ?? req.url ?? '/');
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
      const wire = head as WireRequest;
      wire.body = body;
      const result = await options.dispatcher.dispatch(wire, requestId, authentication);
      sendJson(res, result.status, result.body);
      // the dispatcher's record, completed in place (it is not used after this)
      const observed = result.record as DispatchRecord & { durationMs: number; method: string; path: string };
      observed.method = head.method;
      observed.path = pathOf(req, head.path);
      observed.durationMs = performance.now() - started;
      options.observe?.(observed);
    } catch (e) {
      answerFailure(options, e, req, res);
    }
  };
}

/** Body-reading failures and anything unforeseen: still a Volcengine envelope, never HTML. */
function answerFailure(options: AppOptions, err: unknown, req: IncomingMessage, res: ServerResponse): void {
  const requestId = newRequestId();
  const error = err instanceof ApiError ? err : isBodyReadError(err) ? bodyError(err) : apiError('UndefinedError');
  if (res.headersSent) return;
  // The body was never read, but the query names the Action: answer in its name, as every other refusal does.
  const { query, path } = wireHead(req, (req as Partial<Request>).originalUrl ?? req.url ?? '/');
  const action = query.find(([k]) => k === 'Action')?.[1] ?? null;
  const version = query.find(([k]) => k === 'Version')?.[1] ?? null;
  sendJson(res, error.status, errorEnvelope({ requestId, action: action ?? '', version: version ?? '', region: 'cn-beijing' }, error));
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
    method: req.method ?? 'GET',
    path: pathOf(req, path),
    durationMs: 0,
  });
}

/** The express app: health, the mounted routes, then the API for every other path. */
export function createApp(options: AppOptions, api: ApiHandler = apiHandler(options)): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', false);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  options.mount?.(app);

  app.use((req: Request, res: Response) => api(req, res));

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => answerFailure(options, err, req, res));
  return app;
}
