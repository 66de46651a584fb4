/**
 * Every error the Huawei CSMS door answers, in one table, as `{"error_code", "error_msg"}` bodies.
 *
 * Statuses are the seed pages' (400/401/403/404/500). Codes:
 * - `CSMS.0002`..`CSMS.0005`, `CSMS.0103`: from Huawei's public CSMS error-code page, used with
 *   that meaning. The page lists a missing resource with status 400; the seed pages document 404
 *   for it, which we follow.
 * - `APIGW.*`: Huawei's API gateway answers authentication failures and unknown routes itself,
 *   before CSMS sees the request; we do the same.
 * - entries marked `local`: the public page lists no code for the case, so we chose an unused one.
 * Messages are templates whose `%s` slots are filled in order by `huaweiError()`.
 */
export const HUAWEI_ERROR_CATALOGUE = {
  InvalidParameter: { errorCode: 'CSMS.0002', status: 400, template: 'The value of parameter %s is invalid. %s' },
  InvalidRequest: { errorCode: 'CSMS.0003', status: 400, template: 'The request is invalid. %s' },
  InvalidBody: { errorCode: 'CSMS.0004', status: 400, template: 'The requested body format is wrong. %s' },
  ResourceNotFound: { errorCode: 'CSMS.0005', status: 404, template: 'The resource does not exist: %s [%s].' },
  SecretPendingDeletion: { errorCode: 'CSMS.0103', status: 400, template: 'The secret is in the scheduled deletion state.' },
  /** local */
  SecretDisabled: { errorCode: 'CSMS.0104', status: 400, template: 'The secret is disabled.' },
  /** local */
  SecretExists: { errorCode: 'CSMS.0201', status: 400, template: 'The secret name [%s] already exists.' },
  /** local */
  InternalError: { errorCode: 'CSMS.0001', status: 500, template: 'Internal error. Please contact the administrator.' },
  /** local: the store stayed locked by another connection; retryable */
  ServiceUnavailable: { errorCode: 'CSMS.0099', status: 503, template: 'The service is busy. Please retry later.' },

  AuthenticationFailed: { errorCode: 'APIGW.0301', status: 401, template: 'Incorrect IAM authentication information: %s' },
  ProjectForbidden: { errorCode: 'APIGW.0302', status: 403, template: 'The caller is not authorized to access project %s.' },
  ApiNotFound: { errorCode: 'APIGW.0101', status: 404, template: 'The API does not exist or has not been published: %s %s' },
} as const satisfies Record<string, { errorCode: string; status: number; template: string }>;

export type HuaweiErrorName = keyof typeof HUAWEI_ERROR_CATALOGUE;

/** An error answered as a Huawei error body. */
export class HuaweiError extends Error {
  readonly status: number;
  readonly errorCode: string;

  constructor(
    readonly kind: HuaweiErrorName,
    message: string,
  ) {
    super(message);
    this.name = 'HuaweiError';
    this.status = HUAWEI_ERROR_CATALOGUE[kind].status;
    this.errorCode = HUAWEI_ERROR_CATALOGUE[kind].errorCode;
  }

  body(): { error_code: string; error_msg: string } {
    return { error_code: this.errorCode, error_msg: this.message };
  }
}

/** Builds the catalogue error `name`, filling the template's `%s` slots with `args` in order. */
export function huaweiError(name: HuaweiErrorName, ...args: Array<string | number>): HuaweiError {
  let i = 0;
  const message = HUAWEI_ERROR_CATALOGUE[name].template
    .replace(/%s/g, () => String(args[i++] ?? ''))
    .trim();
  return new HuaweiError(name, message);
}

/** CSMS.0002 naming the parameter, with what is wrong in a sentence. */
export function invalidHuaweiParameter(parameter: string, detail: string): HuaweiError {
  return huaweiError('InvalidParameter', parameter, detail);
}
