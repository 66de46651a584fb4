/**
 * The local control API on the HTTP server, under /_local/ (ours, not Volcengine's):
 * loopback clients only → the same signature check as the API, begun before the body is read (any
 * region) → body read (64 KiB at most; none for a presigned URL) → a control credential only (every
 * operation acts on the whole server, every account: others get 403 AccessDenied) → the operation
 * table → a Volcengine-style envelope (`Result` on success, `ResponseMetadata.Error` on failure).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Authenticator, PendingAuthentication } from '../http/authenticate';
import { errorEnvelope, newRequestId, successEnvelope, type EnvelopeContext } from '../http/envelope';
import { ApiError, apiError } from '../error-catalogue';
import { readSignedBody, toWireHead } from '../http/app';
import { ControlParams } from './control-params';
import type { LocalControl } from './local-control';
import { isLoopbackAddress } from './loopback';
import { findOperation } from './operations';

export const CONTROL_PREFIX = '/_local';
export const CONTROL_VERSION = 'local';
export const MAX_CONTROL_BODY_BYTES = 64 * 1024;
const FALLBACK_REGION = 'cn-beijing';

export interface ControlObservation {
  requestId: string;
  method: string;
  operation: string | null;
  accessKeyId: string | null;
  status: number;
  errorCode: string | null;
}

export interface ControlApiOptions {
  control: LocalControl;
  /** checks signatures against every credential the server knows (control-only ones included) */
  authenticator: Authenticator;
  /** whether an authenticated access key is a control credential */
  isControlKey: (accessKeyId: string) => boolean;
  observe?: (o: ControlObservation) => void;
  onInternalError?: (error: unknown, requestId: string) => void;
}

interface Answer {
  status: number;
  body: object;
}

function fail(error: ApiError, ctx: EnvelopeContext): Answer {
  return { status: error.status, body: errorEnvelope(ctx, error) };
}

export function mountControlApi(app: express.Express, options: ControlApiOptions): void {
  const onlyLoopback = (req: Request, res: Response, next: NextFunction) => {
    if (isLoopbackAddress(req.socket.remoteAddress)) return next();
    const error = new ApiError('AccessDenied', 'The local control API only answers clients on a loopback address.');
    res.status(error.status).json(errorEnvelope({ requestId: newRequestId(), action: '', version: CONTROL_VERSION, region: FALLBACK_REGION }, error));
  };

  const answer = async (req: Request, res: Response) => {
    const requestId = newRequestId();
    const head = toWireHead(req);
    const subPath = head.path.slice(CONTROL_PREFIX.length) || '/';
    const found = findOperation(req.method, subPath);
    const ctx: EnvelopeContext = { requestId, action: found?.operation.name ?? '', version: CONTROL_VERSION, region: FALLBACK_REGION };
    let accessKeyId: string | null = null;
    let result: Answer;
    try {
      let pending: PendingAuthentication | null = null;
      let refusal: unknown = null;
      try {
        pending = options.authenticator.begin(head);
      } catch (e) {
        refusal = e;
      }
      const body = await readSignedBody(req, res, pending, MAX_CONTROL_BODY_BYTES);
      if (pending === null) throw refusal;
      const caller = pending.finish(body);
      accessKeyId = caller.accessKeyId;
      ctx.region = caller.region;
      if (!options.isControlKey(caller.accessKeyId)) {
        throw new ApiError(
          'AccessDenied',
          `User is not authorized to do this action: the access key ${caller.accessKeyId} is not a control credential. The local control API acts on every account; only credentials marked :control in VOLC_SECRETS_CREDENTIALS may call it.`,
        );
      }
      if (!found) throw apiError('Not Found', 'control operation', `${req.method} ${head.path}`);
      const params = new ControlParams(head.query, body, req.headers['content-type']);
      params.allowOnly(found.operation.params);
      const answered = await found.operation.handle(options.control, params, found.path);
      result = { status: 200, body: successEnvelope(ctx, answered) };
    } catch (e) {
      if (e instanceof ApiError) result = fail(e, ctx);
      else if (isBodyReadError(e)) result = fail(bodyReadError(e), ctx);
      else {
        options.onInternalError?.(e, requestId);
        result = fail(apiError('UndefinedError'), ctx);
      }
    }
    res.status(result.status).json(result.body);
    const error = (result.body as { ResponseMetadata: { Error?: { Code: string } } }).ResponseMetadata.Error;
    options.observe?.({ requestId, method: req.method, operation: found?.operation.name ?? null, accessKeyId, status: result.status, errorCode: error?.Code ?? null });
  };

  // Anything unforeseen still answers with an envelope.
  const failure = (_err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const error = apiError('UndefinedError');
    if (!res.headersSent) {
      res.status(error.status).json(errorEnvelope({ requestId: newRequestId(), action: '', version: CONTROL_VERSION, region: FALLBACK_REGION }, error));
    }
  };

  const handle = (req: Request, res: Response, next: NextFunction) => {
    answer(req, res).catch(next);
  };
  app.use(CONTROL_PREFIX, onlyLoopback, handle, failure);
}

function isBodyReadError(err: unknown): boolean {
  return typeof (err as { type?: unknown } | null)?.type === 'string';
}

/** A body that cannot be read (too large, compressed, cut short). */
function bodyReadError(err: unknown): ApiError {
  const type = (err as { type?: string }).type;
  if (type === 'entity.too.large') return apiError('RequestEntityTooLarge', 'body', `${MAX_CONTROL_BODY_BYTES} bytes`);
  if (type === 'encoding.unsupported') return new ApiError('InvalidParameter', 'The request parameter Content-Encoding is invalid. Send the body uncompressed (the signature covers its bytes).');
  return new ApiError('InvalidParameter', 'The request parameter Body is invalid. The body could not be read.');
}
