/**
 * The SQLite addon of the single binary. The binary carries better_sqlite3.node as a SEA asset, but
 * a native library can only be loaded from a file, so it is written once to a cache file and loaded
 * from there on every start. The file name carries the version and a hash of the bytes: a new build
 * never loads an old addon, and parallel first starts write identical bytes to the same name.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export class AddonCacheError extends Error {}

export interface CacheLocation {
  /** the process environment (only XDG_CACHE_HOME is read) */
  env: Record<string, string | undefined>;
  /** the OS temp directory */
  tmpdir: string;
  /** the user id, where the platform has one */
  uid?: number;
}

/**
 * `$XDG_CACHE_HOME/volc-secrets` when that is set (the XDG spec ignores a relative value), otherwise
 * a per-user directory under the temp dir: a shared directory would let another user plant a
 * library there for us to load.
 */
export function addonCacheDir(location: CacheLocation): string {
  const xdg = location.env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'volc-secrets');
  return path.join(location.tmpdir, `volc-secrets-${location.uid ?? 'user'}`);
}

/** `<dir>/<version>/better_sqlite3-<first 16 hex of sha256>.node` */
export function addonCacheFile(dir: string, version: string, addon: Uint8Array): string {
  const hash = createHash('sha256').update(addon).digest('hex').slice(0, 16);
  return path.join(dir, version.replace(/[^A-Za-z0-9._-]/g, '_'), `better_sqlite3-${hash}.node`);
}

/**
 * Refuses a cache directory that someone else could write into: it must be a real directory (not a
 * symlink), owned by us, and not writable by group or others.
 */
function assertPrivateDirectory(dir: string, uid: number | undefined): void {
  const stat = fs.lstatSync(dir);
  const problem = !stat.isDirectory()
    ? 'is not a directory'
    : uid !== undefined && stat.uid !== uid
      ? `is owned by user ${stat.uid}, not ${uid}`
      : (stat.mode & 0o022) !== 0
        ? `is writable by group or others (mode ${(stat.mode & 0o777).toString(8)})`
        : null;
  if (problem) throw new AddonCacheError(`addon cache directory ${dir} ${problem}; remove it or set XDG_CACHE_HOME to a private directory`);
}

function holdsSameBytes(file: string, addon: Uint8Array): boolean {
  try {
    return Buffer.from(addon.buffer, addon.byteOffset, addon.byteLength).equals(fs.readFileSync(file));
  } catch {
    return false;
  }
}

/**
 * Makes sure `file` holds exactly `addon`. An existing file is reused only when its bytes match (a
 * truncated or altered file is replaced). Writing goes to a unique temp name first and is renamed
 * into place, so a concurrent start never sees a half-written library.
 */
export function ensureAddonFile(file: string, addon: Uint8Array, cacheDir: string, uid?: number): 'reused' | 'written' {
  try {
    fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    assertPrivateDirectory(cacheDir, uid);
    if (holdsSameBytes(file, addon)) return 'reused';
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  } catch (e) {
    if (e instanceof AddonCacheError) throw e;
    throw new AddonCacheError(`cannot prepare the addon cache directory ${cacheDir}: ${(e as Error).message}`);
  }
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = fs.openSync(temp, 'wx', 0o600);
    try {
      fs.writeSync(fd, addon);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw new AddonCacheError(`cannot write the SQLite addon to ${file}: ${(e as Error).message}`);
  }
  return 'written';
}

/** Loads a native addon file and returns its exports (what `require()` of it would return). */
export function loadAddon(file: string): unknown {
  const module = { exports: {} as unknown };
  try {
    process.dlopen(module, file);
  } catch (e) {
    throw new AddonCacheError(
      `cannot load the SQLite addon ${file}: ${(e as Error).message} (a filesystem mounted noexec cannot hold it; set XDG_CACHE_HOME to another directory)`,
    );
  }
  return module.exports;
}

/** Writes the addon to its cache file (or reuses it) and loads it. */
export function loadCachedAddon(addon: Uint8Array, version: string, location: CacheLocation): { exports: unknown; file: string; cache: 'reused' | 'written' } {
  const dir = addonCacheDir(location);
  const file = addonCacheFile(dir, version, addon);
  const cache = ensureAddonFile(file, addon, dir, location.uid);
  return { exports: loadAddon(file), file, cache };
}
