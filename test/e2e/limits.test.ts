/**
 * The request limits, each answered with a catalogue error envelope (never Node's bare status line):
 * body size (8 MiB), request line + headers (128 KiB), parameter count (200), and the time allowed
 * to send a whole request; and a request Node cannot parse. A refused request changes nothing.
 */
import net from 'node:net';
import { signRequest } from '../../src/signing/signature';
import { actionQuery, startTestServer, type Envelope, type TestServer } from '../support/server';

/** Sends raw bytes, optionally leaving the request unfinished; resolves with what came back when the server closed. */
function rawExchange(port: number, chunks: string[]): Promise<{ status: number; envelope: Envelope; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      for (const c of chunks) socket.write(c);
    });
    let received = '';
    socket.setEncoding('utf8').on('data', (d: string) => (received += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      const body = received.slice(received.indexOf('\r\n\r\n') + 4);
      try {
        resolve({ status, envelope: JSON.parse(body) as Envelope, closed: true });
      } catch {
        reject(new Error(`not an envelope: ${received.slice(0, 300)}`));
      }
    });
  });
}

function expectError(envelope: Envelope, code: string, codeN: number): string {
  expect(envelope.ResponseMetadata.Error).toMatchObject({ Code: code, CodeN: codeN });
  expect(envelope.ResponseMetadata.RequestId).toMatch(/^\d{14}[0-9A-F]{18}$/);
  expect(envelope.Result).toBeUndefined();
  return envelope.ResponseMetadata.Error!.Message;
}

/**
 * The documented limits, stated here rather than imported from src: a limit changed by accident must
 * fail this test (and a deliberate change must be made here and in docs/security.md too).
 */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const MAX_HEADER_BYTES = 128 * 1024;
const MAX_PARAMETERS = 200;

describe('request limits', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ requestTimeoutMs: 400 });
    await t.sdk.ok('CreateSecret', { SecretName: 'limits', SecretType: 'Generic', SecretValue: 'original' });
  });
  afterAll(() => t.handle.close());

  const versionsOf = async (name: string) => (await t.sdk.ok('DescribeSecretVersions', { SecretName: name })).SecretVersions;

  describe('body size', () => {
    it(`refuses a body over ${MAX_BODY_BYTES} bytes with 413 RequestEntityTooLarge, before reading it whole`, async () => {
      const before = await versionsOf('limits');
      const res = await t.raw({
        method: 'POST',
        query: actionQuery('SetSecretValue'),
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ SecretName: 'limits', SecretValue: 'x'.repeat(MAX_BODY_BYTES) }),
      });
      expect(res.status).toBe(413);
      expect(expectError(res.body, 'RequestEntityTooLarge', 100019)).toBe(`The request body exceeds the limit of ${MAX_BODY_BYTES} bytes.`);
      expect(await versionsOf('limits')).toEqual(before);
    });

    it('reads a body just under the limit and judges its parameters instead', async () => {
      const padding = 'y'.repeat(MAX_BODY_BYTES - 200);
      const res = await t.raw({
        method: 'POST',
        query: actionQuery('UpdateSecret'),
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ SecretName: 'limits', Description: padding }),
      });
      expect(res.status).toBe(400);
      expect(expectError(res.body, 'InvalidParameter', 0)).toContain('Description');
    });
  });

  describe('request line and headers', () => {
    it(`refuses more than ${MAX_HEADER_BYTES} bytes of headers with a 413 envelope (not Node's bare 431)`, async () => {
      const res = await t.raw({ query: actionQuery('DescribeSecret', { SecretName: 'limits' }), headers: { 'X-Padding': 'p'.repeat(MAX_HEADER_BYTES) } });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(expectError(res.body, 'RequestEntityTooLarge', 100019)).toBe(`The request header exceeds the limit of ${MAX_HEADER_BYTES} bytes.`);
    });

    it('accepts the largest legal GET: a 30720-byte SecretValue percent-encoded in the query (official SDK)', async () => {
      const value = '密'.repeat(10240); // 3 bytes each in UTF-8, 9 characters each once encoded
      expect(Buffer.byteLength(value)).toBe(30720);
      const set = await t.sdk.ok('SetSecretValue', { SecretName: 'limits', SecretValue: value }, 'get');
      expect(set.VersionStage).toBe('CURRENT');
      expect((await t.sdk.ok('GetSecretValue', { SecretName: 'limits' }, 'get')).SecretValue).toBe(value);
    });
  });

  describe('parameter count', () => {
    const stray = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`Extra${i}`, 'x']));

    it('accepts a call with many unknown parameters below the limit', async () => {
      const r = await t.sdk.ok('DescribeSecret', { SecretName: 'limits', ...stray(MAX_PARAMETERS - 10) }, 'get');
      expect(r.Secret.SecretName).toBe('limits');
    });

    it.each(['query', 'form body', 'JSON body'] as const)(`refuses more than ${MAX_PARAMETERS} parameters (%s) with 400 InvalidParameter and changes nothing`, async (where) => {
      const before = await versionsOf('limits');
      const params: Record<string, string> = { SecretName: 'limits', SecretValue: 'too-many', ...stray(MAX_PARAMETERS) };
      const res =
        where === 'query'
          ? await t.raw({ query: actionQuery('SetSecretValue', params) })
          : where === 'form body'
            ? await t.raw({
                method: 'POST',
                query: actionQuery('SetSecretValue'),
                headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
                body: new URLSearchParams(params).toString(),
              })
            : await t.raw({ method: 'POST', query: actionQuery('SetSecretValue'), headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(params) });
      expect(res.status).toBe(400);
      expect(expectError(res.body, 'InvalidParameter', 0)).toMatch(new RegExp(`parameters; at most ${MAX_PARAMETERS} are accepted`));
      expect(await versionsOf('limits')).toEqual(before);
    });
  });

  /** The head of a signed POST whose X-Content-Sha256 declares `body` (the signature is checked before the body arrives). */
  const signedHead = (body: string, query = 'Action=SetSecretValue&Version=2021-02-18'): string => {
    const { accessKeyId, secretAccessKey } = t.handle.credentials;
    const headers = signRequest({
      accessKeyId,
      secretAccessKey,
      region: 'cn-beijing',
      service: 'kms',
      method: 'POST',
      path: '/',
      query: [...new URLSearchParams(query)],
      headers: { 'Content-Type': 'application/json' },
      body,
      now: Date.now(),
    });
    const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    return `POST /?${query} HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  };

  describe('request time', () => {
    it('answers a body that stops arriving with 408 RequestTimeout and closes the connection; nothing is written', async () => {
      const before = await versionsOf('limits');
      const body = JSON.stringify({ SecretName: 'limits', SecretValue: 'never-finished'.padEnd(900, '.') });
      const res = await rawExchange(t.handle.port, [signedHead(body), body.slice(0, 45)]);
      expect(res.status).toBe(408);
      expect(expectError(res.envelope, 'RequestTimeout', 100020)).toBe('The request was not completed within 400 ms.');
      expect(await versionsOf('limits')).toEqual(before);
    });

    it('answers headers that stop arriving (slowloris) with 408 RequestTimeout', async () => {
      const res = await rawExchange(t.handle.port, ['GET /?Action=DescribeSecrets&Version=2021-02-18 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a']);
      expect(res.status).toBe(408);
      expectError(res.envelope, 'RequestTimeout', 100020);
    });

    it('still serves everyone else meanwhile and afterwards', async () => {
      const slow = rawExchange(t.handle.port, [signedHead('{"a":"b"}', 'Action=DescribeSecrets&Version=2021-02-18')]);
      slow.catch(() => undefined); // awaited below; this keeps an early failure from becoming an unhandled rejection
      expect((await t.sdk.ok('DescribeSecret', { SecretName: 'limits' })).Secret.SecretName).toBe('limits');
      expect((await slow).status).toBe(408);
      expect((await t.sdk.ok('DescribeSecret', { SecretName: 'limits' })).Secret.SecretName).toBe('limits');
    });
  });

  describe('requests Node cannot parse', () => {
    it.each([
      ['a garbage request line', 'NOT AN HTTP REQUEST\r\n\r\n'],
      ['a bad header line', 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'],
      ['conflicting lengths', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'],
    ])('answers %s with a 400 InvalidParameter envelope', async (_, request) => {
      const res = await rawExchange(t.handle.port, [request]);
      expect(res.status).toBe(400);
      expect(expectError(res.envelope, 'InvalidParameter', 0)).toBe('The request parameter Request is invalid. The HTTP request could not be parsed.');
    });
  });
});
