/**
 * Serves the web console's static assets at /console/ (built into dist/console/ by
 * scripts/build-console.js; inside the single binary they are SEA assets, see src/sea-main.ts).
 * The console is browser code that talks to the server only through the signed API, so this is
 * nothing but a static mount with strict headers:
 *   - a Content-Security-Policy that allows the bundle's own script and style and nothing else
 *     (no inline script, no other origin), and nosniff / no-referrer / no framing;
 *   - loopback clients only while the public development key pair is active (the same rule that
 *     keeps that pair on loopback), anyone once credentials are configured;
 *   - `GET /` from a browser (Accept: text/html, no signature, no query) is sent to /console/;
 *     every other request to `/` is the API, unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { isLoopbackAddress } from '../control/loopback';

export const CONSOLE_PATH = '/console/';

/** The files of a console build (must match CONSOLE_FILES in scripts/build-console.js). */
export const CONSOLE_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

/** SEA asset names of the console files in the single binary: this prefix + the file name. */
export const CONSOLE_ASSET_PREFIX = 'console/';

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Where the built files come from: the dist/console/ folder, or the single binary's assets. */
export interface ConsoleAssetSource {
  /** the file's bytes, or undefined when this build has no console */
  read(name: string): Buffer | undefined;
}

/** Walks up from this module to the first folder holding dist/console/ (from src/, dist/src/ or the bundle in dist/). */
export function diskConsoleAssets(start = __dirname): ConsoleAssetSource {
  let dir: string | undefined;
  for (let d = start; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'dist', 'console', 'index.html'))) {
      dir = path.join(d, 'dist', 'console');
      break;
    }
    if (path.dirname(d) === d) break;
  }
  return {
    read: (name) => {
      if (!dir) return undefined;
      try {
        return fs.readFileSync(path.join(dir, name));
      } catch {
        return undefined;
      }
    },
  };
}

let assetSource: ConsoleAssetSource | null = null;

/** The single binary registers its embedded assets here before the server starts. */
export function setConsoleAssetSource(source: ConsoleAssetSource): void {
  assetSource = source;
}

export interface ConsoleOptions {
  /** answer loopback clients only (while the development key pair is active) */
  loopbackOnly: boolean;
  /** the server's region, the sign-in form's default */
  region: string;
  source?: ConsoleAssetSource;
}

/** Whether a client at `remoteAddress` may load the console. */
export function consoleAllowed(loopbackOnly: boolean, remoteAddress: string | undefined): boolean {
  return !loopbackOnly || isLoopbackAddress(remoteAddress);
}

const escapeAttribute = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A browser opening the server's root address (not an SDK call: those are signed or carry a query). */
export function isBrowserVisit(req: Request): boolean {
  return (
    req.method === 'GET' &&
    !req.originalUrl.includes('?') &&
    req.headers.authorization === undefined &&
    /\btext\/html\b/.test(req.headers.accept ?? '')
  );
}

export function mountConsole(app: express.Express, options: ConsoleOptions): void {
  const source = options.source ?? assetSource ?? diskConsoleAssets();
  const cache = new Map<string, Buffer | null>();
  const load = (name: string): Buffer | null => {
    if (!cache.has(name)) {
      let data = source.read(name) ?? null;
      if (data && name === 'index.html') data = Buffer.from(data.toString('utf8').replace('{{REGION}}', escapeAttribute(options.region)));
      cache.set(name, data);
    }
    return cache.get(name) ?? null;
  };
  const secure = (res: Response) =>
    res.set({
      'Content-Security-Policy': CONSOLE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-cache',
    });
  const send = (res: Response, status: number, type: string, body: Buffer | string) => {
    secure(res).status(status).set('Content-Type', type);
    res.end(body);
  };
  const redirect = (res: Response, status: 301 | 302) => secure(res).redirect(status, CONSOLE_PATH);

  app.get('/', (req: Request, res: Response, next: NextFunction) => {
    if (!isBrowserVisit(req) || !consoleAllowed(options.loopbackOnly, req.socket.remoteAddress)) return next();
    redirect(res, 302);
  });
  app.use('/console', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (!consoleAllowed(options.loopbackOnly, req.socket.remoteAddress)) {
      return send(res, 403, 'text/plain; charset=utf-8', 'The console answers loopback clients only while the development key pair is in use; configure VOLC_SECRETS_CREDENTIALS to open it to others.\n');
    }
    // /console → /console/ so that the page's relative asset URLs resolve
    if (req.baseUrl === '/console' && req.path === '/' && !req.originalUrl.split('?')[0].endsWith('/')) return redirect(res, 301);
    const name = req.path === '/' ? 'index.html' : req.path.slice(1);
    const type = Object.prototype.hasOwnProperty.call(CONSOLE_FILES, name) ? CONSOLE_FILES[name] : undefined;
    const data = type ? load(name) : null;
    if (!type) return send(res, 404, 'text/plain; charset=utf-8', 'Not found.\n');
    if (!data) return send(res, 404, 'text/plain; charset=utf-8', 'This build has no console assets; run npm run build.\n');
    send(res, 200, type, data);
  });
}
