/**
 * How the server serves the web console (src/http/console.ts): the built files at /console/ with a
 * strict Content-Security-Policy and no inline script, the browser redirect from `/` that leaves API
 * requests to `/` unchanged, and the loopback-only rule while the development key pair is active.
 * Needs dist/console/ (`npm run build`; npm test builds first).
 */
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { startServer, type ServerHandle } from '../../src';
import { DEVELOPMENT_CREDENTIAL } from '../../src/credentials';
import { CONSOLE_CSP, consoleAllowed, diskConsoleAssets, mountConsole } from '../../src/http/console';
import { sdkClient } from '../support/server';

let server: ServerHandle;

beforeAll(async () => {
  server = await startServer({ region: 'cn-shanghai' });
});
afterAll(() => server.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers, redirect: 'manual' });

describe('console assets', () => {
  it('serves the page with a strict CSP, no inline script, and the server region as the default', async () => {
    const res = await get('/console/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    // every script has a src; no inline handlers or javascript: URLs
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script src="console.js" defer>']);
    expect(html).not.toMatch(/<script[^>]*>[^<]+<\/script>|\son[a-z]+=|javascript:/i);
    expect(html).toContain('<meta name="volc-secrets-region" content="cn-shanghai">');
  });

  it('serves the script and the stylesheet with their types and the same headers', async () => {
    for (const [file, type] of [
      ['console.js', 'text/javascript; charset=utf-8'],
      ['console.css', 'text/css; charset=utf-8'],
    ]) {
      const res = await get(`/console/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    // the bundle builds the page from text nodes: no HTML-string sinks
    const js = await (await get('/console/console.js')).text();
    expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(/);
  });

  it('answers 404 for other paths under /console/, and /console redirects to /console/', async () => {
    expect((await get('/console/dir/console.js')).status).toBe(404);
    expect((await get('/console/secrets.db')).status).toBe(404);
    expect((await get('/console/main.ts')).status).toBe(404);
    const bare = await get('/console');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/console/');
  });

  it('sends a browser at / to /console/, and leaves API requests to / unchanged', async () => {
    const browser = await get('/', { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(browser.status).toBe(302);
    expect(browser.headers.get('location')).toBe('/console/');
    // unsigned, without a browser's Accept: the API's refusal as before
    const api = await get('/');
    expect(api.status).toBe(401);
    expect(((await api.json()) as { ResponseMetadata: { Error: { Code: string } } }).ResponseMetadata.Error.Code).toBe('MissingAuthenticationToken');
    // an Action in the query is an API call even with Accept: text/html
    const withQuery = await get('/?Action=DescribeSecrets&Version=2021-02-18', { Accept: 'text/html' });
    expect(withQuery.status).toBe(401);
    // and the SDK still works at /
    const sdk = sdkClient(server, { credentials: server.credentials, region: 'cn-shanghai' });
    await expect(sdk.ok('DescribeSecrets', {}, 'get')).resolves.toMatchObject({ Secrets: [] });
  });
});

describe('who may load the console', () => {
  it('loopback only while the development pair is active; anyone once credentials are configured', () => {
    expect(consoleAllowed(true, '127.0.0.1')).toBe(true);
    expect(consoleAllowed(true, '::1')).toBe(true);
    expect(consoleAllowed(true, '::ffff:127.0.0.1')).toBe(true);
    expect(consoleAllowed(true, '192.0.2.10')).toBe(false);
    expect(consoleAllowed(true, undefined)).toBe(false);
    expect(consoleAllowed(false, '192.0.2.10')).toBe(true);
  });

  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && !i.internal && i.family === 'IPv4')?.address;
  const withExternal = external ? it : it.skip;

  withExternal('refuses a client on a non-loopback address with 403 when loopback-only, serves it otherwise', async () => {
    const listen = async (loopbackOnly: boolean) => {
      const app = express();
      mountConsole(app, { loopbackOnly, region: 'cn-beijing', source: diskConsoleAssets() });
      const s = http.createServer(app);
      await new Promise<void>((r) => s.listen(0, '0.0.0.0', r));
      return { s, port: (s.address() as AddressInfo).port };
    };
    const closed = await listen(true);
    const open = await listen(false);
    try {
      expect((await fetch(`http://127.0.0.1:${closed.port}/console/`)).status).toBe(200);
      const refused = await fetch(`http://${external}:${closed.port}/console/`);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('loopback');
      expect((await fetch(`http://${external}:${open.port}/console/`)).status).toBe(200);
    } finally {
      closed.s.close();
      open.s.close();
    }
  });

  it('a server on the development pair serves its loopback clients (the pair itself keeps the server on loopback)', async () => {
    const dev = await startServer({ credentials: [DEVELOPMENT_CREDENTIAL] });
    try {
      expect((await fetch(`${dev.url}/console/`)).status).toBe(200);
    } finally {
      await dev.close();
    }
  });
});
