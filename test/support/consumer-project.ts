/**
 * A fresh project that installs this package the way a user does: from the tarball `npm pack`
 * makes, with `npm install --offline`, so only packages already in the npm cache can be used (CI's
 * `npm ci` put every one of them there).
 *
 * `--offline` cannot resolve a version range without the registry's metadata, which `npm ci` does
 * not always cache; so the project gets a lockfile, written from this repository's own: the same
 * versions, each with its registry tarball URL and integrity, which npm finds in its cache.
 * Install scripts are skipped (`--ignore-scripts`): the only one that matters, better-sqlite3's,
 * downloads or compiles its native addon, which needs the network; the project gets a copy of the
 * addon this repository's install built for the same better-sqlite3 version and Node instead.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [key: string]: unknown;
}

interface Lockfile {
  name: string;
  version: string;
  lockfileVersion: number;
  requires: boolean;
  packages: Record<string, LockEntry>;
}

const repoLock = (): Lockfile => JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
const repoPackage = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
}

/** `npm pack` of this repository (dist/ as built), into `dest`; returns the tarball's path. */
export function packTarball(dest: string): string {
  const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dest], ROOT)) as Array<{ filename: string }>;
  return path.join(dest, packed.filename);
}

/** Where Node would find `name` when required from the package at `from` ('' is the root), in the repo's layout. */
function locate(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const i = base.lastIndexOf('/node_modules/');
    base = i < 0 ? '' : base.slice(0, i);
  }
}

function tarballUrl(registry: string, name: string, version: string): string {
  return `${registry.replace(/\/?$/, '/')}${name}/-/${name.split('/').pop()}-${version}.tgz`;
}

/**
 * The lockfile of a project depending on the tarball and on `extra` (names of this repo's own
 * packages, at this repo's versions): every package they reach, at the repo's place and version.
 */
export function consumerLockfile(tarball: string, extra: string[], registry: string): { lock: Lockfile; dependencies: Record<string, string> } {
  const { packages } = repoLock();
  const self = repoPackage();
  const tarballSpec = `file:${path.basename(tarball)}`;
  const dependencies: Record<string, string> = { [self.name]: tarballSpec };
  for (const name of extra) {
    const entry = packages[`node_modules/${name}`];
    if (!entry?.version) throw new Error(`${name} is not in this repository's package-lock.json`);
    dependencies[name] = entry.version;
  }
  const out: Record<string, LockEntry> = {
    '': { name: 'consumer', version: '1.0.0', dependencies },
    [`node_modules/${self.name}`]: {
      version: self.version,
      resolved: tarballSpec,
      integrity: `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`,
      license: self.license,
      dependencies: self.dependencies,
      peerDependencies: self.peerDependencies,
      peerDependenciesMeta: self.peerDependenciesMeta,
      bin: self.bin,
      engines: self.engines,
    },
  };
  // our package's dependencies resolve as the repo root's do; the others' as in the repo
  const queue: Array<{ from: string; deps: Record<string, string>; optional: Set<string> }> = [
    { from: '', deps: self.dependencies, optional: new Set() },
    ...extra.map((name) => ({ from: '', deps: { [name]: dependencies[name] }, optional: new Set<string>() })),
  ];
  while (queue.length > 0) {
    const { from, deps, optional } = queue.shift()!;
    for (const name of Object.keys(deps)) {
      const at = locate(packages, from, name);
      if (!at) {
        if (optional.has(name)) continue;
        throw new Error(`${name} (needed by ${from || 'the root'}) is not in this repository's package-lock.json`);
      }
      if (out[at]) continue;
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = packages[at] as LockEntry & { dev?: boolean; devOptional?: boolean; peer?: boolean };
      entry.resolved ??= tarballUrl(registry, name, entry.version!);
      out[at] = entry;
      const optionalNames = new Set([...Object.keys(entry.optionalDependencies ?? {}), ...Object.keys(entry.peerDependencies ?? {})]);
      queue.push({ from: at, deps: { ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies }, optional: optionalNames });
    }
  }
  return { lock: { name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages: out }, dependencies };
}

/**
 * Makes `dir` a project that depends on the tarball (copied in) and on `extra` packages, installed
 * offline. Returns npm's output.
 */
export function installConsumer(dir: string, tarball: string, extra: string[]): string {
  const registry = npm(['config', 'get', 'registry'], dir).trim() || 'https://registry.npmjs.org/';
  fs.copyFileSync(tarball, path.join(dir, path.basename(tarball)));
  const { lock, dependencies } = consumerLockfile(tarball, extra, registry);
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies }, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  const output = npm(['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  copySqliteAddon(dir);
  return output;
}

function copySqliteAddon(dir: string): void {
  const ours = path.join(ROOT, 'node_modules/better-sqlite3');
  const theirs = path.join(dir, 'node_modules/better-sqlite3');
  const version = (d: string) => JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')).version;
  if (version(ours) !== version(theirs)) throw new Error(`better-sqlite3 ${version(theirs)} installed, but this repository built ${version(ours)}`);
  fs.mkdirSync(path.join(theirs, 'build/Release'), { recursive: true });
  fs.copyFileSync(path.join(ours, 'build/Release/better_sqlite3.node'), path.join(theirs, 'build/Release/better_sqlite3.node'));
}
