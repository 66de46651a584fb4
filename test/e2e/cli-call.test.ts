/**
 * The shell client against a real server process: `volc-secrets call` round-trips a value, prints
 * only the Result on stdout, the error envelope on stderr with exit 1, `--query`/`--raw` for
 * scripts, `--profile` choosing the signing credential, and `presign` URLs that curl-like clients
 * (fetch here) can use. Also what the server says about a region mismatch and which regions hold
 * secrets. Both the bundled bin (dist/volc-secrets.js) and dist/src/cli.js are built by npm test.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generateCredential, type Credential } from '../../src/credentials';
import { runToExit, startUntilReady, type Finished, type Running } from '../support/child-process';
import { credentialText, spawnServer, type ServerProcess } from '../support/process-server';
import { sdkClient } from '../support/server';

const BIN = path.resolve(__dirname, '../../dist/volc-secrets.js');

let dir: string;
let server: ServerProcess;
const alice = generateCredential();
const bob = generateCredential('2100000002');

beforeAll(async () => {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build (npm test does it first)`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-call-'));
  server = await spawnServer({ db: ':memory:', credentials: alice, logLevel: 'info', extraArgs: ['--credentials', `${credentialText(alice)},${credentialText(bob)}`] });
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The client's environment: the server's URL and credentials, nothing from the developer's shell. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    VOLC_SECRETS_URL: server.url,
    VOLC_SECRETS_CREDENTIALS: `${credentialText(alice)},${credentialText(bob)}`,
    ...extra,
  };
}

const volc = (args: string[], extra: Record<string, string> = {}): Promise<Finished> => runToExit(process.execPath, [BIN, ...args], { cwd: dir, env: env(extra) });

describe('volc-secrets call', () => {
  it('round-trips a value: CreateSecret prints the Result as JSON, GetSecretValue --query prints the value', async () => {
    const created = await volc(['call', 'CreateSecret', 'SecretName=cli-db', 'SecretType=Generic', 'SecretValue=s3cret value']);
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(created.stdout);
    expect(result.Secret).toMatchObject({ SecretName: 'cli-db', SecretType: 'Generic', UID: alice.accountId });

    const value = await volc(['call', 'GetSecretValue', 'SecretName=cli-db', '--query', 'SecretValue']);
    expect({ code: value.code, stdout: value.stdout }).toEqual({ code: 0, stdout: 's3cret value\n' });

    // --raw: the exact bytes, for redirecting into a file
    const raw = await volc(['call', 'GetSecretValue', 'SecretName=cli-db', '--raw']);
    expect({ code: raw.code, stdout: raw.stdout }).toEqual({ code: 0, stdout: 's3cret value' });

    // the official SDK sees what the shell client wrote
    const sdk = sdkClient({ port: server.port }, { credentials: alice });
    expect((await sdk.ok('GetSecretValue', { SecretName: 'cli-db' }, 'get')).SecretValue).toBe('s3cret value');
  });

  it('sends --json as the body, and --query reaches nested fields', async () => {
    const json = JSON.stringify({ SecretName: 'cli-json', SecretType: 'Generic', SecretValue: 'from json', Description: 'a b c' });
    const created = await volc(['call', 'CreateSecret', '--json', json, '--query', 'Secret.Description']);
    expect({ code: created.code, stdout: created.stdout }).toEqual({ code: 0, stdout: 'a b c\n' });
    const page = await volc(['call', 'DescribeSecrets', '--json', '{"PageSize": 1}', '--query', 'PageInfo']);
    expect(JSON.parse(page.stdout)).toMatchObject({ PageSize: 1 });
  });

  it('prints the error envelope on stderr, nothing on stdout, and exits 1', async () => {
    const r = await volc(['call', 'GetSecretValue', 'SecretName=absent']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const envelope = JSON.parse(r.stderr);
    expect(envelope.ResponseMetadata.Error).toMatchObject({ Code: 'Not Found' });
    expect(envelope.ResponseMetadata.Action).toBe('GetSecretValue');
  });

  it('signs with the credential --profile names (by AccountId or AccessKeyId), the first configured one by default', async () => {
    await volc(['call', 'CreateSecret', 'SecretName=bobs', 'SecretType=Generic', 'SecretValue=b', '--profile', bob.accountId]);
    const asBob = await volc(['call', 'DescribeSecret', 'SecretName=bobs', '--query', 'Secret.UID', '--profile', bob.accessKeyId]);
    expect(asBob.stdout).toBe(`${bob.accountId}\n`);
    // the default signer (alice) cannot see bob's secret
    expect((await volc(['call', 'DescribeSecret', 'SecretName=bobs'])).code).toBe(1);
    // VOLC_SECRETS_PROFILE chooses too
    expect((await volc(['call', 'DescribeSecret', 'SecretName=bobs'], { VOLC_SECRETS_PROFILE: bob.accountId })).code).toBe(0);
    const unknown = await volc(['call', 'DescribeSecrets', '--profile', 'nobody']);
    expect({ code: unknown.code, stderr: unknown.stderr }).toMatchObject({ code: 2, stderr: expect.stringMatching(/^volc-secrets: profile nobody is none of the configured credentials/) });
  });

  it.each<[string, string[], RegExp]>([
    ['no Action', ['call'], /call needs an Action/],
    ['a parameter without =', ['call', 'GetSecretValue', 'SecretName'], /expected Name=Value, got "SecretName"/],
    ['--json that is not JSON', ['call', 'CreateSecret', '--json', '{nope'], /--json is not JSON/],
    ['a misspelt option', ['call', 'GetSecretValue', '--querry', 'x'], /unknown option --querry \(did you mean --query\?\) \(see volc-secrets call --help\)/],
  ])('refuses %s with exit 2 and one line', async (_label, args, message) => {
    const r = await volc(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('says plainly when nothing answers at the endpoint', async () => {
    // a port that was free a moment ago
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const r = await volc(['call', 'DescribeSecrets', '--endpoint', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`volc-secrets call: nothing answers at http://127.0.0.1:${port} (ECONNREFUSED); start the server with volc-secrets serve, or give --endpoint\n`);
  });
});

describe('volc-secrets presign', () => {
  it('prints a URL that works without any header, and stops working when altered', async () => {
    const r = await volc(['presign', 'GetSecretValue', 'SecretName=cli-db', '--expires', '60']);
    expect(r.code).toBe(0);
    const url = r.stdout.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?Action=GetSecretValue&/);
    expect(new URL(url).searchParams.get('X-Expires')).toBe('60');
    const answer = await fetch(url);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { Result: { SecretValue: string } }).Result.SecretValue).toBe('s3cret value');

    const altered = new URL(url);
    altered.searchParams.set('SecretName', 'bobs');
    const refused = await fetch(altered);
    expect(refused.status).not.toBe(200);
    expect(((await refused.json()) as { ResponseMetadata: { Error: { Code: string } } }).ResponseMetadata.Error.Code).toBe('SignatureDoesNotMatch');
  });

  it('prints a URL that the server refuses once --expires has passed', async () => {
    const r = await volc(['presign', 'GetSecretValue', 'SecretName=cli-db', '--expires', '1']);
    expect(r.code).toBe(0);
    const url = r.stdout.trim();
    // X-Date has a resolution of one second: two seconds later the URL is past X-Date + 1 s whatever the rounding
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const refused = await fetch(url);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { ResponseMetadata: { Error: { Code: string } } }).ResponseMetadata.Error.Code).toBe('InvalidTimestamp');
  });

  it('refuses a bad --expires', async () => {
    const r = await volc(['presign', 'GetSecretValue', '--expires', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--expires must be a whole number of seconds from 1 to 604800/);
  });
});

describe('a region mismatch speaks up', () => {
  it('keeps the 404 but logs where the secret is, at info', async () => {
    const r = await volc(['call', 'GetSecretValue', 'SecretName=cli-db', '--region', 'cn-shanghai']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).ResponseMetadata.Error.Code).toBe('Not Found');
    const hint = `no secret cli-db in account ${alice.accountId} region cn-shanghai; it exists in cn-beijing`;
    await waitFor(() => server.stdout().includes(hint));
    const line = server.stdout().split('\n').find((l) => l.includes(hint))!;
    expect(JSON.parse(line)).toMatchObject({ level: 'info', message: hint, regions: ['cn-beijing'] });
  });

  it('the ready line says which regions hold secrets', async () => {
    const file = path.join(dir, 'regions.db');
    const credential: Credential = generateCredential();
    const started = (): Promise<Running> =>
      startUntilReady(process.execPath, [BIN, 'serve', '--port', '0', '--db', file, '--credentials', credentialText(credential)], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir } });
    const first = await started();
    expect(first.regions).toBe('no secrets yet');
    const sdk = (region: string) => sdkClient({ port: first.port }, { region, credentials: credential });
    await sdk('cn-beijing').ok('CreateSecret', { SecretName: 'aa', SecretType: 'Generic', SecretValue: 'v' });
    await sdk('cn-beijing').ok('CreateSecret', { SecretName: 'bb', SecretType: 'Generic', SecretValue: 'v' });
    await sdk('cn-shanghai').ok('CreateSecret', { SecretName: 'aa', SecretType: 'Generic', SecretValue: 'v' });
    expect((await first.stop()).code).toBe(0);
    const second = await started();
    expect(second.regions).toBe('secrets in cn-beijing (2), cn-shanghai (1)');
    expect((await second.stop()).code).toBe(0);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  // the hint is written after the answer; poll a little (no timing is asserted)
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}
