import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddonCacheError, addonCacheDir, addonCacheFile, ensureAddonFile, loadAddon } from '../../src/sea/addon-cache';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'addon-cache-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const bytes = (text: string) => new Uint8Array(Buffer.from(text));

describe('addonCacheDir', () => {
  it('uses an absolute XDG_CACHE_HOME', () => {
    expect(addonCacheDir({ env: { XDG_CACHE_HOME: '/home/u/.cache' }, tmpdir: '/tmp', uid: 1000 })).toBe('/home/u/.cache/volc-secrets');
  });

  it('ignores a relative XDG_CACHE_HOME (as the XDG spec says) and falls back to a per-user temp dir', () => {
    expect(addonCacheDir({ env: { XDG_CACHE_HOME: 'cache' }, tmpdir: '/tmp', uid: 1000 })).toBe('/tmp/volc-secrets-1000');
    expect(addonCacheDir({ env: {}, tmpdir: '/var/tmp', uid: 0 })).toBe('/var/tmp/volc-secrets-0');
  });
});

describe('addonCacheFile', () => {
  it('names the file after the version and the content', () => {
    const a = addonCacheFile('/c', '1.0.0', bytes('one'));
    expect(a).toMatch(/^\/c\/1\.0\.0\/better_sqlite3-[0-9a-f]{16}\.node$/);
    expect(addonCacheFile('/c', '1.0.0', bytes('one'))).toBe(a);
    expect(addonCacheFile('/c', '1.0.0', bytes('two'))).not.toBe(a);
    expect(addonCacheFile('/c', '1.0.1', bytes('one'))).not.toBe(a);
  });

  it('keeps a strange version inside the cache directory', () => {
    expect(path.dirname(addonCacheFile('/c', '../../etc', bytes('x')))).toBe('/c/.._.._etc');
  });
});

describe('ensureAddonFile', () => {
  it('writes once, reuses identical bytes, and replaces altered ones', () => {
    const cache = path.join(dir, 'cache');
    const file = addonCacheFile(cache, '1.0.0', bytes('addon bytes'));
    expect(ensureAddonFile(file, bytes('addon bytes'), cache)).toBe('written');
    expect(fs.readFileSync(file, 'utf8')).toBe('addon bytes');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(cache).mode & 0o777).toBe(0o700);
    expect(ensureAddonFile(file, bytes('addon bytes'), cache)).toBe('reused');
    fs.writeFileSync(file, 'addon byt');
    expect(ensureAddonFile(file, bytes('addon bytes'), cache)).toBe('written');
    expect(fs.readFileSync(file, 'utf8')).toBe('addon bytes');
    expect(fs.readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
  });

  it('refuses a cache directory that is a symlink', () => {
    const real = path.join(dir, 'real');
    fs.mkdirSync(real, { mode: 0o700 });
    const link = path.join(dir, 'link');
    fs.symlinkSync(real, link);
    expect(() => ensureAddonFile(path.join(link, 'v', 'a.node'), bytes('x'), link)).toThrow(/addon cache directory .*link is not a directory/);
  });

  it('refuses a cache directory owned by another user', () => {
    const cache = path.join(dir, 'cache');
    fs.mkdirSync(cache, { mode: 0o700 });
    const notMe = fs.statSync(cache).uid + 1;
    expect(() => ensureAddonFile(path.join(cache, 'v', 'a.node'), bytes('x'), cache, notMe)).toThrow(AddonCacheError);
    expect(fs.readdirSync(cache)).toEqual([]);
  });
});

describe('loadAddon', () => {
  it('explains a file that cannot be loaded', () => {
    const file = path.join(dir, 'not-a-library.node');
    fs.writeFileSync(file, 'plain text');
    expect(() => loadAddon(file)).toThrow(/^cannot load the SQLite addon .*not-a-library\.node: .*set XDG_CACHE_HOME/);
  });
});
