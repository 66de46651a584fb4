/**
 * The body reader: bounds by Content-Length before reading and while reading, and a server-wide budget
 * for bodies held before their signature is verified (released when each body is read or refused).
 */
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { BodyReadError, ByteBudget, readBody } from '../../src/http/body-reader';

function request(headers: Record<string, string>): PassThrough & IncomingMessage {
  const stream = new PassThrough() as PassThrough & IncomingMessage;
  (stream as { headers: Record<string, string> }).headers = headers;
  return stream;
}

const typeOf = (p: Promise<unknown>) => p.then(() => 'read', (e: BodyReadError) => e.type);

describe('readBody', () => {
  it('refuses by Content-Length before reading a byte, and by counting when the length is not given', async () => {
    expect(await typeOf(readBody(request({ 'content-length': '101' }), 100))).toBe('entity.too.large');
    const chunked = request({ 'transfer-encoding': 'chunked' });
    const reading = typeOf(readBody(chunked, 100));
    chunked.write(Buffer.alloc(60));
    chunked.write(Buffer.alloc(60));
    expect(await reading).toBe('entity.too.large');
  });

  it('shares a budget between bodies in flight: beyond it 503 (budget.exhausted), and the bytes come back', async () => {
    const budget = new ByteBudget(100);
    const first = request({ 'content-length': '80' });
    const second = request({ 'content-length': '80' });
    const a = readBody(first, 1000, budget);
    const b = typeOf(readBody(second, 1000, budget));
    first.write(Buffer.alloc(80));
    await new Promise((r) => setImmediate(r));
    expect(budget.inUse).toBe(80);
    second.write(Buffer.alloc(80));
    expect(await b).toBe('budget.exhausted');
    first.end();
    expect((await a).length).toBe(80);
    expect(budget.inUse).toBe(0);
    // with the budget free again, the same size is read
    const third = request({ 'content-length': '80' });
    const c = readBody(third, 1000, budget);
    third.end(Buffer.alloc(80));
    expect((await c).length).toBe(80);
    expect(budget.inUse).toBe(0);
  });

  it('refuses a compressed body (the signature covers the bytes sent)', async () => {
    expect(await typeOf(readBody(request({ 'content-encoding': 'gzip', 'content-length': '3' }), 100))).toBe('encoding.unsupported');
  });
});
