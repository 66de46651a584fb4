/**
 * The local control API on the HTTP server, under /_local/ (ours, not Volcengine's):
 * loopback clients only → body read (64 KiB at most) → the same signature check as the API (any
 * configured credential, any region) → the operation table → a Volcengine-style envelope
 * (`Result` on success, `ResponseMetadata.Error` with a catalogue Code on failure).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Authenticator } from '../http/authenticate';
import { errorEnvelope, newRequestId, successEnvelope, type EnvelopeContext } from '../http/envelope';
import { ApiError, apiError } from '../error-catalogue';
import { toWireRequest } from '../http/app';
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
  authenticator: Authenticator;
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
    const wire = toWireRequest(req);
    const subPath = wire.path.slice(CONTROL_PREFIX.length) || '/';
    const found = findOperation(req.method, subPath);
    const ctx: EnvelopeContext = { requestId, action: found?.operation.name ?? '', version: CONTROL_VERSION, region: FALLBACK_REGION };
    let accessKeyId: string | null = null;
    let result: Answer;
    try {
      const caller = options.authenticator.authenticate(wire);
      accessKeyId = caller.accessKeyId;
      ctx.region = caller.region;
      if (!found) throw apiError('Not Found', 'control operation', `${req.method} ${wire.path}`);
      const params = new ControlParams(wire.query, wire.body, req.headers['content-type']);
      params.allowOnly(found.operation.params);
      const body = await found.operation.handle(options.control, params, found.path);
      result = { status: 200, body: successEnvelope(ctx, body) };
    } catch (e) {
      if (e instanceof ApiError) result = fail(e, ctx);
      else {
        options.onInternalError?.(e, requestId);
        result = fail(apiError('UndefinedError'), ctx);
      }
    }
    res.status(result.status).json(result.body);
    const error = (result.body as { ResponseMetadata: { Error?: { Code: string } } }).ResponseMetadata.Error;
    options.observe?.({ requestId, method: req.method, operation: found?.operation.name ?? null, accessKeyId, status: result.status, errorCode: error?.Code ?? null });
  };

  // A body that cannot be read (too large, broken) still answers with an envelope.
  const bodyFailure = (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const tooLarge = (err as { type?: string }).type === 'entity.too.large';
    const error = tooLarge
      ? apiError('RequestEntityTooLarge', 'body', `${MAX_CONTROL_BODY_BYTES} bytes`)
      : new ApiError('InvalidParameter', 'The request parameter Body is invalid. The body could not be read.');
    if (!res.headersSent) {
      res.status(error.status).json(errorEnvelope({ requestId: newRequestId(), action: '', version: CONTROL_VERSION, region: FALLBACK_REGION }, error));
    }
  };

  const handle = (req: Request, res: Response, next: NextFunction) => {
    answer(req, res).catch(next);
  };
  app.use(CONTROL_PREFIX, onlyLoopback, express.raw({ type: () => true, limit: MAX_CONTROL_BODY_BYTES }), handle, bodyFailure);
}
