/**
 * One signed request → one Action → one envelope. The corridor of ../shared/design.md:
 * signature check → Action+Version lookup → parameters (merge, coerce, validate) → handler.
 * Knows nothing of express; app.ts adapts it to HTTP.
 */
import { findAction } from '../actions';
import type { ActionContext, ActionDefinition, Services } from '../actions/action';
import { toApiError } from '../actions/domain-errors';
import { DomainError } from '../domain/errors';
import { describeSchemaError, schemaById, validatorFor } from '../validation/schemas';
import { AuthenticationError, type Authenticator, type Caller, type PendingAuthentication, type WireHead, type WireRequest } from './authenticate';
import { errorEnvelope, successEnvelope, type EnvelopeContext } from './envelope';
import { ApiError, apiError, invalidParameter } from '../error-catalogue';
import { checkParameterCount, coerceTextParams, pairsToParams, parseBody, type Params } from './params';

export interface DispatchRecord {
  requestId: string;
  action: string | null;
  version: string | null;
  accessKeyId: string | null;
  accountId: string | null;
  region: string | null;
  secretName: string | null;
  status: number;
  errorCode: string | null;
}

export interface DispatchResult {
  status: number;
  body: object;
  record: DispatchRecord;
}

/** A hook that may refuse or delay a call after it is authenticated and routed (fault injection). */
export type BeforeAction = (call: { caller: Caller; action: string; secretName: string | null }) => Promise<ApiError | null> | null;

export interface DispatcherDeps {
  authenticator: Authenticator;
  services: Services;
  beforeAction?: BeforeAction;
  /** reports faults that are not the caller's (logged, never shown) */
  onInternalError?: (error: unknown, requestId: string) => void;
}

const FALLBACK_REGION = 'cn-beijing';

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

function isEmpty(params: Params): boolean {
  for (const _key in params) return false;
  return true;
}

function secretNameOf(params: Params): string | null {
  const name = params.SecretName;
  return typeof name === 'string' ? name.slice(0, 128) : null;
}

export class Dispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  /** The signature check before the body is read (see Authenticator.begin). */
  begin(head: WireHead): PendingAuthentication {
    return this.deps.authenticator.begin(head);
  }

  /** `pending`: the check begun before the body was read; without it the whole request is checked here. */
  async dispatch(req: WireRequest, requestId: string, pending?: Pick<PendingAuthentication, 'finish'>): Promise<DispatchResult> {
    const queryParams = pairsToParams(req.query);
    const record: DispatchRecord = {
      requestId,
      action: firstString(queryParams.Action) ?? null,
      version: firstString(queryParams.Version) ?? null,
      accessKeyId: null,
      accountId: null,
      region: null,
      secretName: secretNameOf(queryParams),
      status: 200,
      errorCode: null,
    };
    const envelope = (): EnvelopeContext => ({
      requestId,
      action: record.action ?? '',
      version: record.version ?? '',
      region: record.region ?? FALLBACK_REGION,
    });
    try {
      const caller = pending ? pending.finish(req.body) : this.deps.authenticator.authenticate(req);
      record.accessKeyId = caller.accessKeyId;
      record.accountId = caller.accountId;
      record.region = caller.region;

      // every byte used from here on is covered by the signature (a presigned URL carries no body)
      const body = parseBody(req.body, req.headers['content-type']);
      // a GET has no body parameters: the query's are the text, uncopied
      const text = isEmpty(body.text) ? queryParams : { ...queryParams, ...body.text };
      record.action = firstString(text.Action ?? body.typed.Action) ?? null;
      record.version = firstString(text.Version ?? body.typed.Version) ?? null;
      if (!record.action) throw apiError('MissingParameter', 'Action');
      if (!record.version) throw apiError('MissingParameter', 'Version');
      const action = findAction(record.action, record.version);
      if (!action) throw apiError('InvalidActionOrVersion', record.action, record.version);

      checkParameterCount(text, body.typed);
      const coerced = coerceTextParams(text, schemaById(action.schemaId));
      // Action and Version name the call, not its parameters: left out of the copy (no `delete`)
      const { Action: _action, Version: _version, ...params } = isEmpty(body.typed) ? coerced : { ...coerced, ...body.typed };
      this.validate(action, params);
      record.secretName = secretNameOf(params);

      // null (no fault rule active): the call goes on without waiting on a promise
      const fault = this.deps.beforeAction?.({ caller, action: action.name, secretName: record.secretName });
      if (fault) {
        const injected = await fault;
        if (injected) throw injected;
      }

      const ctx: ActionContext = { scope: { accountId: caller.accountId, region: caller.region }, services: this.deps.services };
      const result = await action.handle(ctx, params);
      return { status: 200, body: successEnvelope(envelope(), result), record };
    } catch (e) {
      const error = this.toApiError(e, requestId);
      if (e instanceof AuthenticationError) Object.assign(record, { accessKeyId: e.accessKeyId ?? null, region: e.region ?? null });
      record.status = error.status;
      record.errorCode = error.code;
      return { status: error.status, body: errorEnvelope(envelope(), error), record };
    }
  }

  private validate(action: ActionDefinition, params: Params): void {
    const validate = validatorFor(action.schemaId);
    if (validate(params)) return;
    const error = validate.errors![0];
    if (error.keyword === 'required') {
      throw apiError('MissingParameter', String((error.params as { missingProperty: string }).missingProperty));
    }
    const parameter = error.instancePath.split('/')[1] ?? '';
    throw invalidParameter(parameter, describeSchemaError(error, parameter));
  }

  private toApiError(e: unknown, requestId: string): ApiError {
    if (e instanceof ApiError) return e;
    if (e instanceof DomainError) return toApiError(e);
    this.deps.onInternalError?.(e, requestId);
    return apiError('UndefinedError');
  }
}
