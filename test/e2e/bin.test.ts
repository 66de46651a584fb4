/**
 * The package's `bin` (what `volc-secrets` runs after `npm run build`): the bundled CLI. It must be
 * the same program as dist/src/cli.js: version, help, serve with a signed SDK round trip, clean stop.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCredential } from '../../src';
import { spawnServer } from '../support/process-server';
import { sdkClient } from '../support/server';

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
const BIN = path.join(ROOT, pkg.bin['volc-secrets']);

describe('the volc-secrets bin', () => {
  it('is a built, executable file', () => {
    expect(fs.statSync(BIN).mode & 0o111).not.toBe(0);
    expect(fs.readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('prints the version and the help', () => {
    const version = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', cwd: os.tmpdir() });
    expect({ status: version.status, out: version.stdout.trim() }).toEqual({ status: 0, out: pkg.version });
    const help = spawnSync(process.execPath, [BIN, 'serve', '--help'], { encoding: 'utf8', cwd: os.tmpdir() });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--port N');
  });

  it('is what npm start runs, without bundling again when no source changed since the build', () => {
    // npm test has just built dist/: the start script must find the bundle current and go straight to serve
    const start = spawnSync(process.execPath, [path.join(ROOT, 'scripts/start.js'), '--help'], { encoding: 'utf8', cwd: os.tmpdir() });
    expect(start.status).toBe(0);
    expect(start.stderr).not.toMatch(/bundling/);
    expect(start.stdout).toContain('Usage: volc-secrets serve [options]');
  });

  it('serves signed SDK calls and stops cleanly on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-bin-'));
    const credentials = generateCredential('2100000042');
    const server = await spawnServer({ db: path.join(dir, 'secrets.db'), credentials, program: BIN });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const sdk = sdkClient({ port: server.port }, { credentials });
      await sdk.ok('CreateSecret', { SecretName: 'from-bin', SecretType: 'Generic', SecretValue: 'bundled' });
      expect((await sdk.ok('GetSecretValue', { SecretName: 'from-bin' }, 'get')).SecretValue).toBe('bundled');
      // the web console, from dist/console/ beside the bundle, and its address in the start-up lines (on stderr, beside the ready line)
      expect(server.stderr()).toContain(`Web console: ${server.url}/console/\n`);
      const page = await fetch(`${server.url}/console/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script src="console.js" defer>');
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: 0, signal: null });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
