/**
 * `export --output` writes through a temporary file another local user cannot have prepared: an
 * unpredictable name, created exclusively with mode 0600 (a pre-created `.<name>.<pid>.tmp` once
 * received the plaintext export).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writePrivateFile } from '../../src/seed/export-command';

describe('the export output file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-export-file-'));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("never writes into a temporary file someone else prepared (the old predictable name, hard-linked by the 'attacker')", () => {
    const output = path.join(dir, 'export.json');
    const prepared = path.join(dir, `.export.json.${process.pid}.tmp`);
    fs.writeFileSync(prepared, '', { mode: 0o666 });
    const attackersLink = path.join(dir, 'attacker-link');
    fs.linkSync(prepared, attackersLink);
    writePrivateFile(output, 'PLAINTEXT-SECRET');
    expect(fs.readFileSync(output, 'utf8')).toBe('PLAINTEXT-SECRET');
    expect(fs.statSync(output).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(attackersLink, 'utf8')).toBe('');
    // nothing of ours is left behind; the prepared file is not ours to remove
    expect(fs.readdirSync(dir).sort()).toEqual(['.export.json.' + process.pid + '.tmp', 'attacker-link', 'export.json']);
  });

  it('creates the temporary file exclusively (wx), mode 0600, under a fresh unpredictable name each time', () => {
    const opened: Array<[string, unknown, unknown]> = [];
    const real = fs.openSync;
    jest.spyOn(fs, 'openSync').mockImplementation(((p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
      opened.push([String(p), flags, mode]);
      return real(p, flags as fs.OpenMode, mode);
    }) as typeof fs.openSync);
    writePrivateFile(path.join(dir, 'a.json'), 'one');
    writePrivateFile(path.join(dir, 'a.json'), 'two');
    expect(opened).toHaveLength(2);
    for (const [file, flags, mode] of opened) {
      expect({ flags, mode }).toEqual({ flags: 'wx', mode: 0o600 });
      expect(path.basename(file)).toMatch(/^\.a\.json\.[0-9a-f]{32}\.tmp$/);
      expect(file).not.toContain(String(process.pid) + '.tmp');
    }
    expect(opened[0][0]).not.toBe(opened[1][0]);
    expect(fs.readFileSync(path.join(dir, 'a.json'), 'utf8')).toBe('two');
  });
});
