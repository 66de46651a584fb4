/**
 * Every error this server can answer on the Volcengine wire, in one table.
 *
 * Gateway errors (signature, routing) carry the CodeN of Volcengine's public error-code page.
 * KMS business errors are documented without a CodeN; we send 0 for them so that clients which
 * parse CodeN as an integer keep working. Messages are the cloud's templates; `%s` slots are
 * filled in order by `apiError()`.
 */
export const ERROR_CATALOGUE = {
  MissingParameter: { codeN: 100002, status: 400, template: 'The request is missing %s parameter.' },
  MissingAuthenticationToken: { codeN: 100003, status: 401, template: 'Request is missing Authentication Token.' },
  MissingRequestInfo: { codeN: 100004, status: 400, template: 'The request is missing %s information.' },
  MissingSignature: { codeN: 100005, status: 401, template: 'The request is missing signature.' },
  InvalidTimestamp: { codeN: 100006, status: 400, template: 'The signature of the request is expired.' },
  ServiceNotFound: { codeN: 100007, status: 404, template: 'This service[%s] not found.' },
  InvalidActionOrVersion: { codeN: 100008, status: 404, template: 'Could not find operation %s for version %s.' },
  InvalidAccessKey: { codeN: 100009, status: 401, template: 'The accesskey [%s] included in the request is invalid.' },
  SignatureDoesNotMatch: {
    codeN: 100010,
    status: 401,
    template:
      'The request signature we calculated does not match the signature you provided. Check your Secret Access Key and signing method. Consult the service documentation for details.',
  },
  LackPolicy: { codeN: 100012, status: 403, template: 'Request was rejected because of lack of policy.' },
  FlowLimitExceeded: { codeN: 100018, status: 429, template: 'Flow limit exceeded, please retry later.' },
  RequestEntityTooLarge: { codeN: 100019, status: 413, template: 'The request %s exceeds the limit of %s.' },
  RequestTimeout: { codeN: 100020, status: 408, template: 'The request was not completed within %s.' },
  ServiceUnavailableTemp: { codeN: 100014, status: 503, template: 'Service is temporarily unavailable, please retry later.' },

  InvalidParameter: { codeN: 0, status: 400, template: 'The request parameter %s is invalid.' },
  InvalidSecretType: { codeN: 0, status: 400, template: 'The secret type [%s] does not allow to perform this action.' },
  InvalidSecretStatus: { codeN: 0, status: 400, template: 'The secret status [%s] does not allow to perform this action.' },
  InvalidECSOsType: { codeN: 0, status: 400, template: 'The os type of ecs [%s] does not allow to perform this action.' },
  'Reject.Throttling.Action': { codeN: 0, status: 403, template: 'The request of Action: %s upper limit is exceeded.' },
  AccessDenied: { codeN: 0, status: 403, template: 'User is not authorized to do this action' },
  'Not Found': { codeN: 0, status: 404, template: 'Not found %s [%s].' },
  Conflict: { codeN: 0, status: 409, template: 'The %s resource %s is conflict.' },
  ProjectConflict: { codeN: 0, status: 409, template: 'The secret [%s] already exists in one project.' },
  UndefinedError: { codeN: 0, status: 500, template: 'Undefined Internal Error. Pls Contact With Admin.' },
} as const satisfies Record<string, { codeN: number; status: number; template: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, code);
}

/** An error that will be answered as a Volcengine error envelope. */
export class ApiError extends Error {
  readonly status: number;
  readonly codeN: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_CATALOGUE[code].status;
    this.codeN = ERROR_CATALOGUE[code].codeN;
  }
}

/** Builds the catalogue error `code`, filling the template's `%s` slots with `args` in order. */
export function apiError(code: ErrorCode, ...args: Array<string | number>): ApiError {
  let i = 0;
  const message = ERROR_CATALOGUE[code].template.replace(/%s/g, () => String(args[i++] ?? ''));
  return new ApiError(code, message);
}

/** InvalidParameter with an explanation after the cloud's sentence, so users see what is wrong. */
export function invalidParameter(parameter: string, detail?: string): ApiError {
  const base = apiError('InvalidParameter', parameter);
  return detail ? new ApiError('InvalidParameter', `${base.message} ${detail}`) : base;
}
