/**
 * Verifies a request's HMAC-SHA256 signature (header form or presigned query form) and says who
 * is calling. Pure apart from the signing-key cache: no express types, so tests drive it directly.
 */
import type { CredentialRegistry } from '../credentials';
import { ApiError, apiError } from '../error-catalogue';
import {
  EMPTY_BODY_SHA256,
  canonicalRequest,
  credentialScope,
  deriveSigningKey,
  normaliseHeaderValue,
  parseAuthorization,
  parseCredential,
  parseXDate,
  sha256Hex,
  signatureHex,
  signaturesEqual,
  stringToSign,
  type QueryPairs,
} from './signature';

export const SERVICE_NAME = 'kms';
const REGION_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface WireRequest {
  method: string;
  /** the path as received, without the query */
  path: string;
  /** decoded query pairs in received order */
  query: QueryPairs;
  /** header values keyed by lower-case name */
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
}

export interface Caller {
  accessKeyId: string;
  accountId: string;
  region: string;
}

export interface AuthenticatorOptions {
  credentials: CredentialRegistry;
  /** accepted distance between X-Date and the wall clock; 0 disables the check */
  maxSkewMs: number;
  /** the wall clock (never the domain clock: signatures are checked against real time) */
  wallClock?: () => number;
}

interface SignatureClaim {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  xDate: string | undefined;
  /** the query pairs that take part in the canonical request */
  query: QueryPairs;
  /** query parameters a presigned URL carries but does not sign (they would act unauthenticated) */
  unsignedParameters: string[];
  payloadHash: () => string;
}

const PRESIGN_SIGNATURE = 'X-Signature';
/** Presign parameters some SDKs leave out of X-SignedQueries (Python and Go add the token after signing). */
const PRESIGN_UNSIGNED = new Set([PRESIGN_SIGNATURE, 'X-SignedQueries', 'X-Security-Token']);

/** Something partially identified about a refused caller, for the audit log. */
export class AuthenticationError extends ApiError {
  constructor(
    cause: ApiError,
    readonly accessKeyId?: string,
    readonly region?: string,
  ) {
    super(cause.code, cause.message);
  }
}

export class Authenticator {
  private readonly keyCache = new Map<string, Buffer>();
  private readonly wallClock: () => number;

  constructor(private readonly options: AuthenticatorOptions) {
    this.wallClock = options.wallClock ?? Date.now;
  }

  /** Returns the caller, or throws an AuthenticationError with the catalogue code. */
  authenticate(req: WireRequest): Caller {
    const claim = this.readClaim(req);
    try {
      return this.verify(req, claim);
    } catch (e) {
      if (e instanceof ApiError) throw new AuthenticationError(e, claim.accessKeyId, claim.region);
      throw e;
    }
  }

  private readClaim(req: WireRequest): SignatureClaim {
    const authorization = req.headers['authorization'];
    if (authorization) return this.readHeaderClaim(req, authorization);
    if (req.query.some(([k]) => k === PRESIGN_SIGNATURE || k === 'X-Credential')) return this.readPresignedClaim(req);
    throw new AuthenticationError(apiError('MissingAuthenticationToken'));
  }

  private readHeaderClaim(req: WireRequest, authorization: string): SignatureClaim {
    const parsed = parseAuthorization(authorization);
    if ('problem' in parsed) {
      if (parsed.problem === 'missing' && parsed.part === 'Signature') {
        throw new AuthenticationError(apiError('MissingSignature'));
      }
      const part = parsed.problem === 'missing' ? parsed.part : parsed.problem === 'algorithm' ? 'Authorization' : 'Credential';
      throw new AuthenticationError(apiError('MissingRequestInfo', part));
    }
    const declaredHash = req.headers['x-content-sha256'];
    return {
      ...parsed,
      xDate: req.headers['x-date'],
      query: req.query,
      unsignedParameters: [],
      payloadHash: () => declaredHash ?? sha256Hex(req.body),
    };
  }

  private readPresignedClaim(req: WireRequest): SignatureClaim {
    const get = (name: string) => req.query.find(([k]) => k === name)?.[1];
    const credential = get('X-Credential');
    if (!credential) throw new AuthenticationError(apiError('MissingRequestInfo', 'X-Credential'));
    const scope = parseCredential(credential);
    if (!scope) throw new AuthenticationError(apiError('MissingRequestInfo', 'X-Credential'));
    const signature = get(PRESIGN_SIGNATURE);
    if (!signature) throw new AuthenticationError(apiError('MissingSignature'), scope.accessKeyId, scope.region);
    const algorithm = get('X-Algorithm');
    if (algorithm !== undefined && algorithm !== 'HMAC-SHA256') {
      throw new AuthenticationError(apiError('MissingRequestInfo', 'X-Algorithm'), scope.accessKeyId, scope.region);
    }
    const signedQueries = get('X-SignedQueries');
    const named = signedQueries === undefined ? null : new Set(signedQueries.split(';'));
    return {
      ...scope,
      signature,
      signedHeaders: (get('X-SignedHeaders') ?? '')
        .split(';')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      xDate: get('X-Date'),
      // Every SDK signs exactly the parameters it lists in X-SignedQueries, never X-Signature itself.
      query: req.query.filter(([k]) => k !== PRESIGN_SIGNATURE && (named === null || named.has(k))),
      unsignedParameters: named === null ? [] : req.query.map(([k]) => k).filter((k) => !named.has(k) && !PRESIGN_UNSIGNED.has(k)),
      // Presigned URLs never sign the body (the SDKs send X-NotSignBody).
      payloadHash: () => EMPTY_BODY_SHA256,
    };
  }

  private verify(req: WireRequest, claim: SignatureClaim): Caller {
    if (claim.service !== SERVICE_NAME) throw apiError('ServiceNotFound', claim.service);
    if (!REGION_PATTERN.test(claim.region)) throw apiError('MissingRequestInfo', 'Region');
    if (!claim.xDate) throw apiError('MissingRequestInfo', 'X-Date');
    const signedAt = parseXDate(claim.xDate);
    if (signedAt === null) throw apiError('InvalidTimestamp');
    if (this.options.maxSkewMs > 0 && Math.abs(this.wallClock() - signedAt) > this.options.maxSkewMs) {
      throw apiError('InvalidTimestamp');
    }
    const account = this.options.credentials.lookup(claim.accessKeyId);
    if (!account) throw apiError('InvalidAccessKey', claim.accessKeyId);
    if (claim.xDate.slice(0, 8) !== claim.date) throw apiError('SignatureDoesNotMatch');
    if (claim.unsignedParameters.length > 0) throw apiError('SignatureDoesNotMatch');

    const declaredHash = req.headers['x-content-sha256'];
    if (declaredHash !== undefined && declaredHash.toLowerCase() !== sha256Hex(req.body)) {
      throw apiError('SignatureDoesNotMatch');
    }

    const signingKey = this.signingKey(account.secretAccessKey, claim);
    const scope = credentialScope(claim.date, claim.region, claim.service);
    const payloadHash = claim.payloadHash();
    const tryWith = (normalise: (v: string) => string): boolean => {
      const values: Record<string, string> = {};
      for (const name of claim.signedHeaders) {
        const raw = req.headers[name];
        if (raw === undefined) return false;
        values[name] = normalise(name === 'host' ? stripDefaultPort(raw) : raw);
      }
      const canonical = canonicalRequest({
        method: req.method,
        path: req.path,
        query: claim.query,
        signedHeaders: claim.signedHeaders,
        headerValues: values,
        payloadHash,
      });
      return signaturesEqual(signatureHex(signingKey, stringToSign(claim.xDate as string, scope, canonical)), claim.signature);
    };
    // Go and Python trim header values; Node also collapses inner whitespace. Accept either.
    if (!tryWith((v) => v.trim()) && !tryWith(normaliseHeaderValue)) throw apiError('SignatureDoesNotMatch');
    return { accessKeyId: claim.accessKeyId, accountId: account.accountId, region: claim.region };
  }

  /** Derived keys change once a day per (key, region): cache them, bounded. */
  private signingKey(secretAccessKey: string, claim: SignatureClaim): Buffer {
    const cacheKey = `${claim.accessKeyId}\n${secretAccessKey}\n${claim.date}\n${claim.region}\n${claim.service}`;
    let key = this.keyCache.get(cacheKey);
    if (!key) {
      if (this.keyCache.size >= 1024) this.keyCache.clear();
      key = deriveSigningKey(secretAccessKey, claim.date, claim.region, claim.service);
      this.keyCache.set(cacheKey, key);
    }
    return key;
  }
}

function stripDefaultPort(host: string): string {
  return host.replace(/:(80|443)$/, '');
}
