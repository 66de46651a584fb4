/**
 * Verifies a request's HMAC-SHA256 signature (header form or presigned query form) and says who
 * is calling. Pure apart from the signing-key cache: no express types, so tests drive it directly.
 */
import { own, record } from '../lookup';
import type { CredentialRegistry } from '../credentials';
import { ApiError, apiError, invalidParameter } from '../error-catalogue';
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
} from '../signing/signature';

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

/** A request whose signature is checked as far as it can be without its body. */
export interface PendingAuthentication {
  /**
   * Whether the signature covers the body: false for a presigned URL, which then must carry none
   * (the app reads no more than a token amount of body for it).
   */
  readonly bodySigned: boolean;
  /** Finishes the check with the body's bytes: returns the caller or throws an AuthenticationError. */
  finish(body: Buffer): Caller;
}

/**
 * The longest life of a presigned URL, in seconds. Volcengine documents no maximum for the OpenAPI
 * gateway's X-Expires (TOS, another product, allows 30 days for its X-Tos-Expires); we take 7 days,
 * the bound S3-style presigned URLs use, so a leaked URL cannot live for ever.
 */
export const MAX_PRESIGN_EXPIRES_SECONDS = 7 * 86_400;

/** Where the caller's credentials are looked up: the account doors' keys, or the control API's. */
export type CredentialLookup = Pick<CredentialRegistry, 'lookup'>;

export interface AuthenticatorOptions {
  credentials: CredentialLookup;
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
  /** presigned: the body is not signed and must be empty */
  presigned: boolean;
  /** X-Expires of a presigned URL, as given */
  expires: string | undefined;
  /** the payload hash known before the body is read (X-Content-Sha256, or the empty hash of a presigned URL) */
  declaredHash: string | undefined;
}

/** A request as far as is known before its body is read. */
export type WireHead = Omit<WireRequest, 'body'>;

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
  /** The last X-Date parsed and its instant: replayed and concurrent requests share a second. A parse, not a verdict. */
  private lastXDate = '';
  private lastSignedAt: number | null = null;

  constructor(private readonly options: AuthenticatorOptions) {
    this.wallClock = options.wallClock ?? Date.now;
  }

  /** Returns the caller, or throws an AuthenticationError with the catalogue code. */
  authenticate(req: WireRequest): Caller {
    return this.begin(req).finish(req.body);
  }

  /**
   * Checks everything that does not need the body: the scope, the time, the access key and, when the
   * payload hash is declared (X-Content-Sha256, or a presigned URL's empty body), the signature itself.
   * A request refused here is refused before a byte of its body is read.
   */
  begin(req: WireHead): PendingAuthentication {
    const claim = this.readClaim(req);
    const guard = <T>(fn: () => T): T => {
      try {
        return fn();
      } catch (e) {
        if (e instanceof ApiError && !(e instanceof AuthenticationError)) throw new AuthenticationError(e, claim.accessKeyId, claim.region);
        throw e;
      }
    };
    const account = guard(() => this.checkClaim(claim));
    const caller: Caller = { accessKeyId: claim.accessKeyId, accountId: account.accountId, region: claim.region };
    const verify = (payloadHash: string) => guard(() => {
      if (!this.signatureMatches(req, claim, account.secretAccessKey, payloadHash)) throw apiError('SignatureDoesNotMatch');
    });
    const declared = claim.declaredHash;
    if (declared === undefined) {
      return { bodySigned: true, finish: (body) => (verify(sha256Hex(body)), caller) };
    }
    verify(declared);
    if (claim.presigned) {
      return {
        bodySigned: false,
        finish: (body) =>
          guard(() => {
            // the signature covers no body: a body's parameters would act in the signer's name unsigned
            if (body.length > 0) throw invalidParameter('Body', 'A presigned URL signs no body: send no body, or sign the request in the Authorization header.');
            return caller;
          }),
      };
    }
    return {
      bodySigned: true,
      finish: (body) =>
        guard(() => {
          if (declared.toLowerCase() !== sha256Hex(body)) throw apiError('SignatureDoesNotMatch');
          return caller;
        }),
    };
  }

  private readClaim(req: WireHead): SignatureClaim {
    const authorization = req.headers['authorization'];
    if (authorization) return this.readHeaderClaim(req, authorization);
    if (req.query.some(([k]) => k === PRESIGN_SIGNATURE || k === 'X-Credential')) return this.readPresignedClaim(req);
    throw new AuthenticationError(apiError('MissingAuthenticationToken'));
  }

  private readHeaderClaim(req: WireHead, authorization: string): SignatureClaim {
    const parsed = parseAuthorization(authorization);
    if ('problem' in parsed) {
      if (parsed.problem === 'missing' && parsed.part === 'Signature') {
        throw new AuthenticationError(apiError('MissingSignature'));
      }
      const part = parsed.problem === 'missing' ? parsed.part : parsed.problem === 'algorithm' ? 'Authorization' : 'Credential';
      throw new AuthenticationError(apiError('MissingRequestInfo', part));
    }
    return {
      ...parsed,
      xDate: req.headers['x-date'],
      query: req.query,
      unsignedParameters: [],
      presigned: false,
      expires: undefined,
      declaredHash: req.headers['x-content-sha256'],
    };
  }

  private readPresignedClaim(req: WireHead): SignatureClaim {
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
      presigned: true,
      expires: get('X-Expires'),
      // Presigned URLs never sign the body (the SDKs send X-NotSignBody): it must be empty.
      declaredHash: EMPTY_BODY_SHA256,
    };
  }

  /** Scope, time window and access key: everything but the signature. Returns the credential. */
  private checkClaim(claim: SignatureClaim): { secretAccessKey: string; accountId: string } {
    if (claim.service !== SERVICE_NAME) throw apiError('ServiceNotFound', claim.service);
    if (!REGION_PATTERN.test(claim.region)) throw apiError('MissingRequestInfo', 'Region');
    if (!claim.xDate) throw apiError('MissingRequestInfo', 'X-Date');
    if (claim.xDate !== this.lastXDate) {
      this.lastSignedAt = parseXDate(claim.xDate);
      this.lastXDate = claim.xDate;
    }
    const signedAt = this.lastSignedAt;
    if (signedAt === null) throw apiError('InvalidTimestamp');
    this.checkTime(claim, signedAt);
    const account = this.options.credentials.lookup(claim.accessKeyId);
    if (!account) throw apiError('InvalidAccessKey', claim.accessKeyId);
    if (claim.xDate.slice(0, 8) !== claim.date) throw apiError('SignatureDoesNotMatch');
    if (claim.unsignedParameters.length > 0) throw apiError('SignatureDoesNotMatch');
    return account;
  }

  /**
   * The header form and a presigned URL without X-Expires live within maxSkew of X-Date (both ways).
   * A presigned URL with X-Expires lives from X-Date until X-Date + X-Expires seconds (at most 7 days),
   * whatever maxSkew says: the signer chose that life, and it is signed. Expired: InvalidTimestamp,
   * the gateway's code for "the signature of the request is expired".
   */
  private checkTime(claim: SignatureClaim, signedAt: number): void {
    const now = this.wallClock();
    const skew = this.options.maxSkewMs;
    if (claim.expires === undefined) {
      if (skew > 0 && Math.abs(now - signedAt) > skew) throw apiError('InvalidTimestamp');
      return;
    }
    if (!/^\d{1,7}$/.test(claim.expires) || Number(claim.expires) < 1 || Number(claim.expires) > MAX_PRESIGN_EXPIRES_SECONDS) {
      throw invalidParameter('X-Expires', `X-Expires must be whole seconds from 1 to ${MAX_PRESIGN_EXPIRES_SECONDS} (7 days).`);
    }
    if (now > signedAt + Number(claim.expires) * 1000) throw apiError('InvalidTimestamp');
    if (skew > 0 && signedAt - now > skew) throw apiError('InvalidTimestamp');
  }

  private signatureMatches(req: WireHead, claim: SignatureClaim, secretAccessKey: string, payloadHash: string): boolean {
    const signingKey = this.signingKey(secretAccessKey, claim);
    const scope = credentialScope(claim.date, claim.region, claim.service);
    const tryWith = (normalise: (v: string) => string): boolean => {
      const values = record<string>();
      for (const name of claim.signedHeaders) {
        // the client names the headers: an inherited member (`constructor`) is not a header
        const raw = own(req.headers, name);
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
    return tryWith((v) => v.trim()) || tryWith(normaliseHeaderValue);
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
