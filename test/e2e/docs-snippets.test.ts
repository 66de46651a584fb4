/**
 * The Node snippets of the documentation run: docs/examples/quickstart.cjs and .mjs are executed with
 * node against a server using the development key pair, and docs/sdk.md and the README must hold
 * their text unchanged (so a snippet cannot drift from the file that is tested).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEVELOPMENT_CREDENTIAL, startServer, type ServerHandle } from '../../src';
import { runToExit } from '../support/child-process';

const ROOT = path.resolve(__dirname, '../..');
const example = (name: string) => path.join(ROOT, 'docs/examples', name);
const text = (file: string) => fs.readFileSync(file, 'utf8');

let server: ServerHandle;
beforeAll(async () => {
  server = await startServer({ credentials: [DEVELOPMENT_CREDENTIAL] });
});
afterAll(() => server.close());

describe.each([
  ['quickstart.cjs', 's3cr3t'],
  ['quickstart.mjs', 't0ken'],
])('docs/examples/%s', (name, printed) => {
  it('runs against the server and prints the value it stored', async () => {
    // a child process, awaited: the server runs in this process and must keep answering meanwhile
    const r = await runToExit(process.execPath, [example(name)], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', VOLC_SECRETS_ENDPOINT: `127.0.0.1:${server.port}` } });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: `${printed}\n`, stderr: '' });
  });

  it('is shown unchanged in docs/sdk.md', () => {
    expect(text(path.join(ROOT, 'docs/sdk.md'))).toContain(text(example(name)).trimEnd());
  });
});

it('the README shows the CommonJS snippet unchanged', () => {
  expect(text(path.join(ROOT, 'README.md'))).toContain(text(example('quickstart.cjs')).trimEnd());
});

it('docs/sdk.md shows the Python and Go snippets as they are in docs/examples', () => {
  const sdk = text(path.join(ROOT, 'docs/sdk.md'));
  for (const name of ['quickstart.py', 'quickstart.go']) expect(sdk).toContain(text(example(name)).trimEnd());
});
