/**
 * Entry point of the single binary (dist/volc-secrets, built by scripts/build-binary.js). Inside a
 * Node single executable, require() loads only built-in modules, so better-sqlite3 cannot find its
 * addon by itself: the addon travels as a SEA asset, and the store gets a loader that writes it to a
 * cache file and loads it at the first database open (--help and --version never touch the disk).
 * The CLI does not start itself inside a SEA, so this module calls main().
 */
import os from 'node:os';
import * as sea from 'node:sea';
import { main } from './cli';
import { CONSOLE_ASSET_PREFIX, setConsoleAssetSource } from './http/console';
import { loadCachedAddon } from './sea/addon-cache';
import { DatabaseOpenError } from './store/database-open-error';
import { setSqliteNativeBindingLoader } from './store/sqlite/database';
import { VERSION } from './version';

/** The asset name given in scripts/build-binary.js. */
export const SQLITE_ADDON_ASSET = 'better_sqlite3.node';

function loadSqliteAddon(): unknown {
  try {
    const addon = new Uint8Array(sea.getAsset(SQLITE_ADDON_ASSET));
    return loadCachedAddon(addon, VERSION, { env: process.env, tmpdir: os.tmpdir(), uid: process.getuid?.() }).exports;
  } catch (e) {
    // the CLI prints a DatabaseOpenError as one line and exits 1
    throw new DatabaseOpenError((e as Error).message);
  }
}

// outside a SEA (the bundle run by plain node) better-sqlite3 finds its addon as usual
if (sea.isSea()) {
  setSqliteNativeBindingLoader(loadSqliteAddon);
  // the web console's files travel in the binary too (scripts/build-binary.js adds them as assets)
  setConsoleAssetSource({
    read: (name) => {
      try {
        return Buffer.from(sea.getAsset(CONSOLE_ASSET_PREFIX + name));
      } catch {
        return undefined;
      }
    },
  });
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
