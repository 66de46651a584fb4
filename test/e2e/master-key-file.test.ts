/**
 * The default master key file beside a database: created on first start (mode 0600), reused after,
 * and never silently replaced: a database whose key file went missing refuses to start and no new
 * (useless) key file is written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../src';
import { sdkClient } from '../support/server';

describe('default master key file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-key-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is created beside the database with mode 0600 and reused on restart', async () => {
    const db = path.join(dir, 'secrets.db');
    const first = await startServer({ db });
    const keyFile = `${db}.master-key`;
    expect(first.masterKeySource).toBe(keyFile);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    await sdkClient(first, { credentials: first.credentials }).ok('CreateSecret', { SecretName: 'kept', SecretType: 'Generic', SecretValue: 'v' });
    await first.close();
    const key = fs.readFileSync(keyFile, 'utf8');

    const second = await startServer({ db, credentials: [first.credentials] });
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(key);
    expect((await sdkClient(second, { credentials: first.credentials }).ok('GetSecretValue', { SecretName: 'kept' })).SecretValue).toBe('v');
    await second.close();
  });

  it('refuses to start when the key file of a sealed database is missing, and writes no new key', async () => {
    const db = path.join(dir, 'secrets.db');
    const first = await startServer({ db });
    await first.close();
    fs.rmSync(`${db}.master-key`);

    await expect(startServer({ db })).rejects.toThrow(/was sealed with a master key, but its key file .*secrets\.db\.master-key is missing/);
    expect(fs.existsSync(`${db}.master-key`)).toBe(false);
  });
});
