/**
 * Who is calling the Huawei door, and may they use this project_id?
 *
 * Two ways in, as on the seed pages: an `X-Auth-Token` (configured tokens, each scoped to one
 * project), or an AK/SK `SDK-HMAC-SHA256` signature (the AK is one of the server's credentials;
 * its account must own the project). Missing or wrong credentials: 401. A project the caller does
 * not own: 403. Messages never contain a token, a secret key or a signature.
 */
import { own, record } from '../lookup';
import type { CredentialRegistry } from '../credentials';
import type { Scope } from '../domain/types';
import { parseXDate, sha256Hex, signaturesEqual, type QueryPairs } from '../signing/signature';
import { huaweiError } from './error-catalogue';
import {
  huaweiCanonicalQuery,
  huaweiCanonicalRequest,
  huaweiCanonicalUri,
  huaweiSignatureHex,
  huaweiStringToSign,
  parseHuaweiAuthorization,
  UNSIGNED_PAYLOAD,
  type HuaweiAuthorization,
} from './signature';
import type { HuaweiProjects } from './tokens';

export interface HuaweiWireRequest {
  method: string;
  /** the path as received (percent-encoded), without the query */
  path: string;
  /** decoded query pairs */
  query: QueryPairs;
  /** header values keyed by lower-case name */
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
  /** the {project_id} of the route */
  projectId: string;
}

/** A request as far as is known before its body is read. */
export type HuaweiWireHead = Omit<HuaweiWireRequest, 'body'>;

/** A caller checked as far as possible without the body. */
export interface PendingHuaweiCaller {
  /** false when nothing signs the body (a token, or UNSIGNED-PAYLOAD) */
  readonly bodySigned: boolean;
  /** true when the caller is already proven (a token, or a signature over a declared body hash) */
  readonly verified: boolean;
  /** finishes the check with the body: the caller, or a HuaweiError */
  finish(body: Buffer): HuaweiCaller;
}

export interface HuaweiCaller {
  scope: Scope;
  projectId: string;
  via: 'token' | 'aksk';
  /** set for AK/SK callers */
  accessKeyId: string | null;
}

export interface HuaweiAuthenticatorOptions {
  projects: HuaweiProjects;
  credentials: CredentialRegistry;
  /** accepted distance between X-Sdk-Date and the wall clock; 0 disables the check */
  maxSkewMs: number;
  wallClock?: () => number;
}

const unauthorized = (reason: string) => huaweiError('AuthenticationFailed', reason);

export class HuaweiAuthenticator {
  private readonly wallClock: () => number;

  constructor(private readonly options: HuaweiAuthenticatorOptions) {
    this.wallClock = options.wallClock ?? Date.now;
  }

  /** Returns the caller, or throws a HuaweiError (401 or 403). */
  authenticate(req: HuaweiWireRequest): HuaweiCaller {
    return this.begin(req).finish(req.body);
  }

  /**
   * Everything that does not need the body: a token and its project, or the signature's date, access
   * key, project and (when X-Sdk-Content-Sha256 declares the payload hash) the signature itself.
   */
  begin(req: HuaweiWireHead): PendingHuaweiCaller {
    const token = req.headers['x-auth-token'];
    if (token !== undefined) {
      // a token is a bearer credential: it signs nothing, like the cloud's IAM tokens
      const caller = this.byToken(req, token);
      return { bodySigned: false, verified: true, finish: () => caller };
    }
    const authorization = req.headers['authorization'];
    if (authorization !== undefined) return this.bySignature(req, authorization);
    throw unauthorized('the request has neither an X-Auth-Token nor an SDK-HMAC-SHA256 Authorization header.');
  }

  private byToken(req: HuaweiWireHead, token: string): HuaweiCaller {
    const known = this.options.projects.token(token);
    if (!known) throw unauthorized('the X-Auth-Token is not valid.');
    if (known.projectId !== req.projectId) throw huaweiError('ProjectForbidden', req.projectId);
    this.checkProjectHeader(req);
    return { scope: { accountId: known.accountId, region: known.region }, projectId: known.projectId, via: 'token', accessKeyId: null };
  }

  private bySignature(req: HuaweiWireHead, authorization: string): PendingHuaweiCaller {
    const parsed = parseHuaweiAuthorization(authorization);
    if (typeof parsed === 'string') throw unauthorized(`${parsed}.`);
    const sdkDate = req.headers['x-sdk-date'];
    if (!sdkDate) throw unauthorized('the X-Sdk-Date header is missing.');
    const signedAt = parseXDate(sdkDate);
    if (signedAt === null) throw unauthorized('X-Sdk-Date must be YYYYMMDDTHHMMSSZ.');
    const skew = this.options.maxSkewMs;
    if (skew > 0 && Math.abs(this.wallClock() - signedAt) > skew) {
      throw unauthorized(`X-Sdk-Date is more than ${Math.round(skew / 60000)} minutes away from the server's clock.`);
    }
    for (const required of ['host', 'x-sdk-date']) {
      if (!parsed.signedHeaders.includes(required)) throw unauthorized(`SignedHeaders must include ${required}.`);
    }
    const credential = this.options.credentials.lookup(parsed.accessKeyId);
    if (!credential) throw unauthorized(`the access key ${parsed.accessKeyId} is not valid.`);
    const verify = (payloadHash: string): HuaweiCaller => {
      if (!this.signatureMatches(req, parsed, credential.secretAccessKey, sdkDate, payloadHash)) {
        throw unauthorized('the signature does not match. Check the SK and the signing method.');
      }
      const scope = this.options.projects.project(req.projectId);
      if (!scope || scope.accountId !== credential.accountId) throw huaweiError('ProjectForbidden', req.projectId);
      this.checkProjectHeader(req);
      return { scope, projectId: req.projectId, via: 'aksk', accessKeyId: parsed.accessKeyId };
    };
    const declared = req.headers['x-sdk-content-sha256'];
    if (declared === undefined) return { bodySigned: true, verified: false, finish: (body) => verify(sha256Hex(body)) };
    const caller = verify(declared);
    if (declared === UNSIGNED_PAYLOAD) {
      return {
        bodySigned: false,
        verified: true,
        finish: (body) => {
          // UNSIGNED-PAYLOAD leaves the body out of the signature: its parameters would act unsigned
          if (body.length > 0) throw unauthorized('X-Sdk-Content-Sha256 is UNSIGNED-PAYLOAD but the request has a body: sign the body.');
          return caller;
        },
      };
    }
    return {
      bodySigned: true,
      verified: true,
      finish: (body) => {
        if (declared.toLowerCase() !== sha256Hex(body)) throw unauthorized('the signature does not match. Check the SK and the signing method.');
        return caller;
      },
    };
  }

  /** The SDKs repeat the project in X-Project-Id; a different one there is not this project. */
  private checkProjectHeader(req: HuaweiWireHead): void {
    const header = req.headers['x-project-id'];
    if (header !== undefined && header !== req.projectId) throw huaweiError('ProjectForbidden', header);
  }

  private signatureMatches(req: HuaweiWireHead, auth: HuaweiAuthorization, secretKey: string, sdkDate: string, payloadHash: string): boolean {
    const headerValues = record<string>();
    for (const name of auth.signedHeaders) {
      // the client names the headers: an inherited member (`constructor`) is not a header
      const value = own(req.headers, name);
      if (value === undefined) return false;
      headerValues[name] = value;
    }
    const query = huaweiCanonicalQuery(req.query);
    // Signers differ in small ways: the Node SDK encodes the sent path once more and orders
    // canonical headers by localeCompare; others start from the decoded path and sort by code unit.
    const uris = new Set([huaweiCanonicalUri(req.path), huaweiCanonicalUri(req.path, true)]);
    const orders = [auth.signedHeaders, [...auth.signedHeaders].sort((a, b) => a.localeCompare(b))];
    for (const uri of uris) {
      for (const order of orders) {
        const canonical = huaweiCanonicalRequest({
          method: req.method,
          uri,
          query,
          signedHeaders: auth.signedHeaders,
          headerOrder: order,
          headerValues,
          payloadHash,
        });
        const expected = huaweiSignatureHex(secretKey, huaweiStringToSign(sdkDate, canonical));
        if (signaturesEqual(expected, auth.signature)) return true;
      }
    }
    return false;
  }
}
