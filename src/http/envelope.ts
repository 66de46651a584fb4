/**
 * The Volcengine response envelope: ResponseMetadata on every answer, Result on success,
 * ResponseMetadata.Error (and no Result) on failure.
 */
import { randomBytes } from 'node:crypto';
import type { ApiError } from '../error-catalogue';

export const SERVICE = 'kms';

export interface ResponseMetadata {
  RequestId: string;
  Action: string;
  Version: string;
  Service: string;
  Region: string;
  Error?: { CodeN: number; Code: string; Message: string };
}

/**
 * The cloud's 32-character RequestId: the Beijing-time timestamp `YYYYMMDDHHMMSS` followed by 18
 * upper-case hex characters, e.g. `20240808093135197096064007CC0E1A`.
 */
export function newRequestId(now = Date.now()): string {
  return beijingStamp(now) + randomHex.next();
}

/** Every request needs an id: format the time once per second, not once per request. */
let stampSecond = NaN;
let stampText = '';
function beijingStamp(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== stampSecond) {
    stampSecond = second;
    stampText = new Date(now + 8 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  }
  return stampText;
}

const ID_RANDOM_BYTES = 9;

/** Random bytes drawn from the CSPRNG a few kilobytes at a time rather than nine at a time. */
const randomHex = {
  pool: Buffer.alloc(0),
  offset: 0,
  next(): string {
    if (this.offset + ID_RANDOM_BYTES > this.pool.length) {
      this.pool = randomBytes(ID_RANDOM_BYTES * 512);
      this.offset = 0;
    }
    const hex = this.pool.toString('hex', this.offset, this.offset + ID_RANDOM_BYTES).toUpperCase();
    this.offset += ID_RANDOM_BYTES;
    return hex;
  },
};

export interface EnvelopeContext {
  requestId: string;
  action: string;
  version: string;
  region: string;
}

function metadata(ctx: EnvelopeContext): ResponseMetadata {
  return { RequestId: ctx.requestId, Action: ctx.action, Version: ctx.version, Service: SERVICE, Region: ctx.region };
}

export function successEnvelope(ctx: EnvelopeContext, result: object) {
  return { ResponseMetadata: metadata(ctx), Result: result };
}

export function errorEnvelope(ctx: EnvelopeContext, error: ApiError) {
  return { ResponseMetadata: { ...metadata(ctx), Error: { CodeN: error.codeN, Code: error.code, Message: error.message } } };
}
