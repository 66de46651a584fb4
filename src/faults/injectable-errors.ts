/**
 * The catalogue errors a fault rule may inject, and how each one's message slots are filled from the
 * call it interrupts. Only errors a real client can meet from the cloud on an authenticated call:
 * throttling, flow control, outages, permission and signature refusals, a vanished secret.
 */
import { apiError, type ApiError, type ErrorCode } from '../error-catalogue';

export interface InterruptedCall {
  action: string;
  secretName: string | null;
  accessKeyId: string;
}

type MessageArgs = (call: InterruptedCall) => string[];

export const INJECTABLE_ERRORS = {
  'Reject.Throttling.Action': (call) => [call.action],
  FlowLimitExceeded: () => [],
  ServiceUnavailableTemp: () => [],
  UndefinedError: () => [],
  RequestTimeout: () => ['30s'],
  AccessDenied: () => [],
  LackPolicy: () => [],
  SignatureDoesNotMatch: () => [],
  InvalidAccessKey: (call) => [call.accessKeyId],
  'Not Found': (call) => ['secret', call.secretName ?? ''],
} as const satisfies Partial<Record<ErrorCode, MessageArgs>>;

export type InjectableError = keyof typeof INJECTABLE_ERRORS;

export const INJECTABLE_ERROR_CODES = Object.keys(INJECTABLE_ERRORS) as InjectableError[];

export function isInjectableError(code: unknown): code is InjectableError {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(INJECTABLE_ERRORS, code);
}

/** The error a client sees, exactly as the catalogue answers it (status, Code, CodeN, message). */
export function injectedError(code: InjectableError, call: InterruptedCall): ApiError {
  const args: MessageArgs = INJECTABLE_ERRORS[code];
  return apiError(code, ...args(call));
}
