/**
 * Unauthenticated requests are cheap: a request whose signature (or token) can be refused without its
 * body is refused before a byte of the body is read, on both doors and /_local; a body whose hash is
 * not declared is read only up to 64 KiB before its signature is checked; /v1 is not served without a
 * Huawei project; and concurrent connections are capped.
 */
import net from 'node:net';
import { generateCredential } from '../../src';
import { signRequest } from '../../src/signing/signature';
import { startHuaweiTestServer } from '../support/huawei';
import { actionQuery, startTestServer, type TestServer } from '../support/server';

/** Sends the head of a request that announces a large body, and none of the body: resolves with the answer. */
function headOnly(port: number, head: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    let received = '';
    socket.setEncoding('utf8').on('data', (d: string) => {
      received += d;
      const end = received.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(received)?.[1];
      if (end !== -1 && length !== undefined && received.length - end - 4 >= Number(length)) {
        socket.destroy();
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0), body: received.slice(end + 4) });
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed without a whole answer: ${received.slice(0, 200)}`)));
  });
}

const BIG = 5 * 1024 * 1024;

function head(method: string, target: string, headers: Record<string, string>): string {
  const lines = Object.entries({ Host: '127.0.0.1', ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return `${method} ${target} HTTP/1.1\r\n${lines}\r\n`;
}

describe('refused before the body is read', () => {
  let t: TestServer;
  beforeAll(async () => {
    // a long request timeout: a server that waited for the body would not answer within the test
    t = await startTestServer({ requestTimeoutMs: 120_000 });
  });
  afterAll(() => t.handle.close());

  const code = (body: string) => (JSON.parse(body) as { ResponseMetadata: { Error?: { Code: string } } }).ResponseMetadata.Error?.Code;

  it('an unsigned request announcing 5 MiB', async () => {
    const res = await headOnly(t.handle.port, head('POST', '/?Action=CreateSecret&Version=2021-02-18', { 'Content-Length': String(BIG) }));
    expect({ status: res.status, code: code(res.body) }).toEqual({ status: 401, code: 'MissingAuthenticationToken' });
  });

  it('an unknown access key announcing 5 MiB', async () => {
    const headers = signRequest({ ...signing(generateCredential()), body: 'x'.repeat(100) });
    const res = await headOnly(t.handle.port, head('POST', '/?Action=CreateSecret&Version=2021-02-18', { ...headers, 'Content-Length': String(BIG) }));
    expect({ status: res.status, code: code(res.body) }).toEqual({ status: 401, code: 'InvalidAccessKey' });
  });

  it('a wrong secret key with a declared body hash, announcing 5 MiB', async () => {
    const headers = signRequest({ ...signing({ ...t.handle.credentials, secretAccessKey: 'wrong' }), body: 'x'.repeat(100) });
    const res = await headOnly(t.handle.port, head('POST', '/?Action=CreateSecret&Version=2021-02-18', { ...headers, 'Content-Length': String(BIG) }));
    expect({ status: res.status, code: code(res.body) }).toEqual({ status: 401, code: 'SignatureDoesNotMatch' });
  });

  it('an unsigned /_local request announcing 5 MiB', async () => {
    const res = await headOnly(t.handle.port, head('POST', '/_local/reset', { 'Content-Length': String(BIG) }));
    expect({ status: res.status, code: code(res.body) }).toEqual({ status: 401, code: 'MissingAuthenticationToken' });
  });

  it('/v1 without a Huawei project is not served: an unsigned request there is a Volcengine refusal, body unread', async () => {
    const res = await headOnly(t.handle.port, head('POST', '/v1/0a1b2c/secrets', { 'Content-Length': String(BIG), 'X-Auth-Token': 'anything' }));
    expect({ status: res.status, code: code(res.body) }).toEqual({ status: 401, code: 'MissingAuthenticationToken' });
  });

  it('a body without X-Content-Sha256 is read only up to 64 KiB before its signature is checked', async () => {
    const body = JSON.stringify({ SecretName: 'big', SecretType: 'Generic', SecretValue: 'x'.repeat(30_000), Description: 'd'.repeat(40_000) });
    const res = await t.raw({ method: 'POST', query: actionQuery('CreateSecret'), headers: { 'Content-Type': 'application/json' }, body, tamper: (r) => delete r.headers['X-Content-Sha256'] });
    expect(res.status).toBe(413);
    expect(res.body.ResponseMetadata.Error).toMatchObject({ Code: 'RequestEntityTooLarge' });
    expect(res.body.ResponseMetadata.Error!.Message).toBe(
      "The request body exceeds the limit of 65536 bytes without an X-Content-Sha256 header (send the body's SHA-256 in it to send more).",
    );
  });

  it('a small body without X-Content-Sha256 is still verified from its bytes', async () => {
    const res = await t.raw({
      method: 'POST',
      query: actionQuery('CreateSecret'),
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ SecretName: 'small', SecretType: 'Generic', SecretValue: 'v' }),
      // signed without the header: the canonical request still carries the body's hash
      signBodyHash: false,
      tamper: (r) => expect(r.headers['X-Content-Sha256']).toBeUndefined(),
    });
    expect(res.status).toBe(200);
  });

  function signing(cred: { accessKeyId: string; secretAccessKey: string }) {
    return {
      accessKeyId: cred.accessKeyId,
      secretAccessKey: cred.secretAccessKey,
      region: 'cn-beijing',
      service: 'kms',
      method: 'POST',
      path: '/',
      query: actionQuery('CreateSecret'),
      headers: { 'Content-Type': 'application/json' },
      now: Date.now(),
    };
  }
});

describe('the Huawei door refuses before the body is read', () => {
  it('an unknown token, and an unknown route, announcing 5 MiB', async () => {
    const s = await startHuaweiTestServer({ requestTimeoutMs: 120_000 });
    try {
      const token = await headOnly(s.t.handle.port, head('POST', `/v1/${s.a.projectId}/secrets`, { 'Content-Length': String(BIG), 'X-Auth-Token': 'not-a-token' }));
      expect(token.status).toBe(401);
      const route = await headOnly(s.t.handle.port, head('POST', `/v1/${s.a.projectId}/nowhere`, { 'Content-Length': String(BIG) }));
      expect(route.status).toBe(404);
    } finally {
      await s.close();
    }
  });
});

describe('the connection cap', () => {
  it('closes connections beyond maxConnections at once, and serves again when one ends', async () => {
    const t = await startTestServer({ maxConnections: 3 });
    const open = (): Promise<net.Socket> =>
      new Promise((resolve, reject) => {
        const s = net.connect(t.handle.port, '127.0.0.1', () => resolve(s));
        s.on('error', reject);
      });
    const closedWithoutAnswer = (s: net.Socket): Promise<string> =>
      new Promise((resolve) => {
        let got = '';
        s.setEncoding('utf8').on('data', (d: string) => (got += d));
        s.on('close', () => resolve(got));
        s.on('error', () => undefined);
        s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      });
    const held = [await open(), await open(), await open()];
    try {
      expect(await closedWithoutAnswer(await open())).toBe('');
      held.pop()!.destroy();
      // the server learns of the freed slot asynchronously: try until a connection is answered
      let answer = '';
      for (let attempt = 0; attempt < 50 && !answer.startsWith('HTTP/1.1 200'); attempt++) {
        const s = await open();
        answer = await new Promise<string>((resolve) => {
          let got = '';
          s.setEncoding('utf8').on('data', (d: string) => {
            got += d;
            if (got.includes('"ok"')) s.destroy();
          });
          s.on('close', () => resolve(got));
          s.on('error', () => undefined);
          s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
        });
      }
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      for (const s of held) s.destroy();
      await t.handle.close();
    }
  });
});
