/**
 * The express edge of the Huawei door, mounted at /v1 before the Volcengine handler so that it
 * never sees these requests. Its own body parsing (raw bytes: the AK/SK signature covers them),
 * then per operation: authenticate → parse the JSON body → operation → JSON answer. Every failure,
 * unknown routes included, is a Huawei error body, never HTML and never a Volcengine envelope.
 */
import { record } from '../lookup';
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { DomainError } from '../domain/errors';
import { announcesBody, BodyReadError, ByteBudget, readBody } from '../http/body-reader';
import type { HuaweiAuthenticator, HuaweiCaller, HuaweiWireHead, PendingHuaweiCaller } from './authenticate';
import { toHuaweiError } from './domain-errors';
import { HuaweiError, huaweiError } from './error-catalogue';
import { HUAWEI_OPERATIONS, type HuaweiOperation, type HuaweiServices } from './operations';

export const HUAWEI_PREFIX = '/v1';
/**
 * Large enough for the largest blob: 100 versions of 30 KiB make a ~7.3 MB secret_blob (the sealed
 * backup is base64 inside JSON, then base64url in the blob); UploadSecretBlob accepts up to 12 MiB.
 */
export const HUAWEI_MAX_BODY_BYTES = 16 * 1024 * 1024;
/**
 * Body bytes held at once, across every connection, for AK/SK requests whose signature needs the body
 * (the SDKs do not declare its hash) and is not checked yet: a caller who only knows an access key id
 * cannot make the server hold more than this. Beyond it: 503, retry later.
 */
export const HUAWEI_UNVERIFIED_BODY_BUDGET = 64 * 1024 * 1024;

export interface HuaweiRequestRecord {
  requestId: string;
  method: string;
  operation: string | null;
  projectId: string | null;
  accessKeyId: string | null;
  accountId: string | null;
  region: string | null;
  secretName: string | null;
  status: number;
  errorCode: string | null;
  durationMs: number;
}

export interface HuaweiDoorOptions {
  authenticator: HuaweiAuthenticator;
  services: HuaweiServices;
  /** one call per request (for the request log; never carries values, tokens or signatures) */
  observe?: (record: HuaweiRequestRecord) => void;
  /** faults that are not the caller's (logged, never shown) */
  onInternalError?: (error: unknown, requestId: string) => void;
  /** see HUAWEI_UNVERIFIED_BODY_BUDGET (tests lower it) */
  unverifiedBodyBudget?: number;
}

function wireHead(req: Request, projectId: string): HuaweiWireHead {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  // no prototype: SignedHeaders may name `__proto__` or `constructor`, which must read as absent
  const headers = record<string>();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return {
    method: req.method,
    path: q === -1 ? url : url.slice(0, q),
    query: q === -1 ? [] : [...new URLSearchParams(url.slice(q + 1))],
    headers,
    projectId,
  };
}

function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw huaweiError('InvalidBody', 'The request body must be a JSON object.');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw huaweiError('InvalidBody', 'The request body is not valid JSON.');
  }
}

/** Errors raised by express itself (body reading, URL decoding): the caller's, so a 400. */
function requestReadError(err: unknown): HuaweiError | null {
  const { type, status } = err as { type?: string; status?: number };
  if (type === 'entity.too.large') return huaweiError('InvalidBody', `The request body exceeds ${HUAWEI_MAX_BODY_BYTES} bytes.`);
  if (type === 'budget.exhausted') return huaweiError('ServiceUnavailable');
  if (type) return huaweiError('InvalidBody', 'The request body could not be read.');
  if (typeof status === 'number' && status >= 400 && status < 500) return huaweiError('InvalidRequest', 'The request URL could not be decoded.');
  return null;
}

/** A record for a request not (yet) known to be anyone's: filled in as the request is understood. */
function newRecord(method: string, operation: string | null, params: Readonly<Record<string, string | undefined>> = {}): HuaweiRequestRecord {
  return {
    requestId: randomUUID().replace(/-/g, ''),
    method,
    operation,
    projectId: params.project_id ?? null,
    accessKeyId: null,
    accountId: null,
    region: null,
    secretName: params.secret_name?.slice(0, 128) ?? null,
    status: 200,
    errorCode: null,
    durationMs: 0,
  };
}

export function huaweiRouter(options: HuaweiDoorOptions): express.Router {
  const router = express.Router();
  const unverified = new ByteBudget(options.unverifiedBodyBudget ?? HUAWEI_UNVERIFIED_BODY_BUDGET);

  const send = (res: Response, record: HuaweiRequestRecord, started: number, status: number, body?: object) => {
    res.setHeader('X-Request-Id', record.requestId);
    if (body === undefined) res.status(status).end();
    else res.status(status).json(body);
    options.observe?.({ ...record, status, durationMs: performance.now() - started });
  };
  const sendError = (res: Response, record: HuaweiRequestRecord, started: number, error: HuaweiError) => {
    send(res, { ...record, errorCode: error.errorCode }, started, error.status, error.body());
  };

  const toError = (e: unknown, requestId: string): HuaweiError => {
    if (e instanceof HuaweiError) return e;
    if (e instanceof DomainError) return toHuaweiError(e);
    options.onInternalError?.(e, requestId);
    return huaweiError('InternalError');
  };

  const handler = (operation: HuaweiOperation) => async (req: Request, res: Response) => {
    const started = performance.now();
    const params = req.params as Record<string, string>;
    const record = newRecord(req.method, operation.name, params);
    try {
      // who is calling is settled as far as it can be before a byte of the body is read
      const head = wireHead(req, params.project_id);
      let pending: PendingHuaweiCaller;
      try {
        pending = options.authenticator.begin(head);
      } catch (e) {
        if (announcesBody(req)) res.setHeader('Connection', 'close');
        throw e;
      }
      const wire = { ...head, body: await readBody(req, HUAWEI_MAX_BODY_BYTES, pending.verified ? undefined : unverified) };
      const caller: HuaweiCaller = pending.finish(wire.body);
      Object.assign(record, { accessKeyId: caller.accessKeyId, accountId: caller.scope.accountId, region: caller.scope.region });
      const body = operation.takesBody ? parseJsonBody(wire.body) : undefined;
      const result = await operation.handle({ caller, params, body, services: options.services });
      send(res, record, started, result.status, result.body);
    } catch (e) {
      sendError(res, record, started, (e instanceof BodyReadError ? requestReadError(e) : null) ?? toError(e, record.requestId));
    }
  };

  for (const operation of HUAWEI_OPERATIONS) {
    const method = operation.method === 'GET' ? 'get' : operation.method === 'POST' ? 'post' : 'delete';
    router[method](operation.path, handler(operation));
  }

  // Anything else under /v1: the gateway's "no such API", before any authentication (the body is never read).
  router.use((req: Request, res: Response) => {
    if (announcesBody(req)) res.setHeader('Connection', 'close');
    const path = req.originalUrl.split('?')[0].slice(0, 256);
    sendError(res, newRecord(req.method, null), performance.now(), huaweiError('ApiNotFound', req.method, path));
  });

  // Body-reading failures and anything unforeseen.
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const record = newRecord(req.method, null);
    const error = requestReadError(err) ?? toError(err, record.requestId);
    if (res.headersSent) return;
    sendError(res, record, performance.now(), error);
  });
  return router;
}

/** Mounts the door at /v1 (call before the Volcengine raw-body handler). */
export function mountHuaweiDoor(app: express.Express, options: HuaweiDoorOptions): void {
  app.use(HUAWEI_PREFIX, huaweiRouter(options));
}
