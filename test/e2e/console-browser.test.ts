/**
 * The web console in a real browser (Debian's chromium through playwright-core) against an in-process
 * server: sign in, create one secret of each type through the forms, search, reveal, rotate, schedule
 * deletion, advance the clock past the window, read the audit log, fault rules and snapshots, and a
 * Description that is markup shows as text. The steps share one page and run in order.
 *
 * Time: the whole file is bounded by jest's timeouts below (60 s to start, 30 s a step); it takes
 * about 15-25 s on this 2-core machine. Screenshots go to $VOLC_SECRETS_CONSOLE_SCREENSHOTS when set
 * (docs/images/ is made that way: see docs/console.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { generateCredential, startServer, type ServerHandle } from '../../src';
import { SECRET_FORMS } from '../../src/console/secret-forms';
import { SECRET_TYPES } from '../../src/domain/types';
import { launchChromium, type Browser } from '../support/browser';

jest.setTimeout(30_000);

const SHOTS = process.env.VOLC_SECRETS_CONSOLE_SCREENSHOTS;
const XSS = '<img src=x onerror=alert(1)>';
/** one secret of each type the server accepts is created, each through its form */
const FORMS = SECRET_FORMS.filter((f) => (SECRET_TYPES as readonly string[]).includes(f.type));
/** the database types other than RDS share one loop */
const OTHER_DATABASE_TYPES = FORMS.filter((f) => f.type !== 'RDS' && f.fields.some((x) => x.key === 'DBInstanceId')).map((f) => f.type);

let server: ServerHandle;
const otherAccount = generateCredential('2100000002');
let browser: Browser;
let page: Page;
/** CSP violations, script errors and dialogs (an executed alert) seen by the page */
const problems: string[] = [];

async function shot(name: string, target: Page = page): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await target.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const main = () => page.locator('main');

async function openCreateForm(type: string): Promise<void> {
  await page.getByRole('link', { name: 'Create', exact: true }).click();
  await page.getByLabel('Secret type', { exact: true }).selectOption(type);
}

async function submitCreate(name: string): Promise<void> {
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

beforeAll(async () => {
  // the first pair may use the control API (the handle's default is such a pair); the second, another account's, may not
  server = await startServer({ credentials: [{ ...generateCredential(), control: true }, otherAccount] });
  const res = await fetch(`${server.url}/console/`);
  if (res.status !== 200) throw new Error(`GET /console/ answered ${res.status}: run \`npm run build\` first (npm test does)`);
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('console', (m) => {
    // an API refusal (4xx) is logged by chromium as a failed resource: expected in the negative steps
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('web console in chromium', () => {
  it('opens from the root address and refuses a wrong key with the API error', async () => {
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/console/');
    await expect(page.getByLabel('Region', { exact: true }).inputValue()).resolves.toBe(server.region);
    await shot('console-sign-in');
    await page.getByLabel('Access Key ID', { exact: true }).fill(server.credentials.accessKeyId);
    await page.getByLabel('Secret Access Key', { exact: true }).fill('not-the-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('.status.error').textContent()).resolves.toContain('SignatureDoesNotMatch');
  });

  it('signs in with the keyboard (Enter) and keeps the keys in sessionStorage only', async () => {
    await page.getByLabel('Secret Access Key', { exact: true }).fill(server.credentials.secretAccessKey);
    await page.getByLabel('Region', { exact: true }).press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Secrets' }).waitFor();
    // (expressions as text: this file is type-checked without the DOM library)
    const stored = (await page.evaluate('({ session: JSON.stringify(sessionStorage), local: JSON.stringify(localStorage), cookie: document.cookie })')) as {
      session: string;
      local: string;
      cookie: string;
    };
    expect(stored.session).toContain(server.credentials.accessKeyId);
    expect(stored.local).not.toContain(server.credentials.secretAccessKey);
    expect(stored.cookie).toBe('');
    expect(page.url()).not.toContain(server.credentials.secretAccessKey);
  });

  it('shows the API validation message next to the create form', async () => {
    await openCreateForm('Generic');
    await page.getByLabel('Secret name', { exact: true }).fill('x');
    await page.getByLabel('Secret value', { exact: true }).fill('v');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const error = page.locator('form.create-form .status.error');
    await expect(error.textContent()).resolves.toMatch(/InvalidParameter.*SecretName/);
  });

  it('creates a Generic secret (the value is not in the page until revealed)', async () => {
    await openCreateForm('Generic');
    await page.getByLabel('Secret name', { exact: true }).fill('app-db-url');
    await page.getByLabel('Description', { exact: true }).fill('Connection string of the app');
    await page.getByLabel('Secret value', { exact: true }).fill('postgres://app:hunter2@db/app');
    await submitCreate('app-db-url');
    expect(await page.content()).not.toContain('hunter2');
    await page.getByRole('button', { name: 'Reveal' }).click();
    await expect(page.locator('pre.secret-value').textContent()).resolves.toBe('postgres://app:hunter2@db/app');
    await shot('console-secret-detail');
    await page.getByRole('button', { name: 'Hide' }).click();
    expect(await page.content()).not.toContain('hunter2');
  });

  it('creates an IAM secret and reveals it as formatted JSON', async () => {
    await openCreateForm('IAM');
    await page.getByLabel('Secret name', { exact: true }).fill('ci-deployer');
    await page.getByLabel('IAM user name', { exact: true }).fill('deployer');
    await page.getByLabel('Access key ID of the user', { exact: true }).fill('AKLTdeployer0001');
    await page.getByLabel('Access key secret of the user', { exact: true }).fill('c2VjcmV0LWRlcGxveWVy');
    await shot('console-create-iam');
    await submitCreate('ci-deployer');
    await page.getByRole('button', { name: 'Reveal' }).click();
    const value = await page.locator('pre.secret-value').textContent();
    expect(value).toContain('\n  "AccessKeys": [');
    expect(JSON.parse(value ?? '')).toEqual({ AccessKeys: [{ AccessKeyId: 'AKLTdeployer0001', AccessKeySecret: 'c2VjcmV0LWRlcGxveWVy' }] });
  });

  it('rotates the IAM secret and shows two versions with their stages', async () => {
    await page.getByRole('button', { name: 'Rotate now' }).click();
    await page.getByRole('heading', { name: 'Versions (2)' }).waitFor();
    const stages = await page.locator('section:has(h2:text("Versions (2)")) tbody tr td:nth-child(3)').allTextContents();
    expect(stages.sort()).toEqual(['CURRENT', 'OLDER']);
    // the new CURRENT holds a generated key; the OLDER version still holds the one typed in the form
    await page.getByRole('button', { name: 'Reveal' }).click();
    await expect(page.locator('pre.secret-value').textContent()).resolves.not.toContain('AKLTdeployer0001');
    await page.getByLabel('Version to reveal').selectOption({ label: await page.locator('option', { hasText: 'OLDER' }).innerText() });
    await expect(page.locator('pre.secret-value').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Reveal' }).click();
    await expect(page.locator('pre.secret-value').textContent()).resolves.toContain('AKLTdeployer0001');
  });

  it('creates RDS (two accounts), Redis (and the other RDS-like types) and ECS (SSH key) secrets through their forms', async () => {
    await openCreateForm('RDS');
    await page.getByLabel('Secret name', { exact: true }).fill('orders-rds');
    await page.getByLabel('Instance ID', { exact: true }).fill('mysql-0a1b2c');
    await page.getByLabel('Account mode', { exact: true }).selectOption('DoubleUsers');
    await page.getByLabel('Account name', { exact: true }).fill('orders_a');
    await page.getByLabel('Account password', { exact: true }).fill('pw-a');
    await page.getByLabel('Second account name', { exact: true }).fill('orders_b');
    await page.getByLabel('Second account password', { exact: true }).fill('pw-b');
    await page.getByLabel('Custom data (JSON object)').fill('{"team": "orders"');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(page.locator('form.create-form .status.error').textContent()).resolves.toMatch(/^InvalidParameter: .*ExtendedConfig/);
    await page.getByLabel('Custom data (JSON object)').fill('{"team": "orders"}');
    await page.getByLabel('Rotate automatically').check();
    await page.getByLabel('Rotation interval (days)').fill('30');
    await submitCreate('orders-rds');
    await expect(main().locator('[data-field="Rotation"]').textContent()).resolves.toBe('Every 30 d');
    expect(JSON.parse((await main().locator('[data-field="Extended config"]').textContent()) ?? '')).toEqual({
      DBInstanceId: 'mysql-0a1b2c',
      SecretSubType: 'DoubleUsers',
      CustomData: { team: 'orders' },
    });

    // Redis and every other RDS-like type (one account each)
    for (const type of OTHER_DATABASE_TYPES) {
      await openCreateForm(type);
      await page.getByLabel('Secret name', { exact: true }).fill(`${type.toLowerCase()}-db`);
      await page.getByLabel('Instance ID', { exact: true }).fill(`${type.toLowerCase()}-9z8y`);
      await page.getByLabel('Account name', { exact: true }).fill('app');
      await page.getByLabel('Account password', { exact: true }).fill('pw-c');
      await submitCreate(`${type.toLowerCase()}-db`);
      await expect(main().locator('[data-field="Type"]').textContent()).resolves.toBe(type);
    }

    await openCreateForm('ECS');
    await page.getByLabel('Secret name', { exact: true }).fill('bastion-login');
    await page.getByLabel('ECS instance ID', { exact: true }).fill('i-bastion01');
    await page.getByLabel('Login kind', { exact: true }).selectOption('SSHKey');
    await page.getByLabel('Login user name', { exact: true }).fill('root');
    await page.getByLabel('SSH public key', { exact: true }).fill('ssh-ed25519 AAAAC3Nza root@bastion');
    await page.getByLabel('SSH private key', { exact: true }).fill('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----');
    await submitCreate('bastion-login');
    await expect(main().locator('[data-field="Type"]').textContent()).resolves.toBe('ECS');
  });

  it('lists the secrets, finds one with the search box and filters by type', async () => {
    await page.getByRole('link', { name: 'Secrets', exact: true }).click();
    await page.getByText(`Page 1 of 1 · ${FORMS.length} secrets`).waitFor();
    await shot('console-secrets');
    await page.getByLabel('Search by name').fill('redis');
    await page.getByRole('button', { name: 'Search' }).click();
    // (each search draws a new view: wait for its answer, then read all of it)
    await main().getByRole('link', { name: 'redis-db' }).waitFor();
    await page.getByText('Page 1 of 1 · 1 secret').waitFor();
    await expect(main().locator('tbody tr td:first-child').allTextContents()).resolves.toEqual(['redis-db']);
    await page.getByLabel('Search by name').fill('');
    await page.getByLabel('Type', { exact: true }).selectOption('ECS');
    await main().getByRole('link', { name: 'bastion-login' }).waitFor();
    await page.getByText('Page 1 of 1 · 1 secret').waitFor();
    await expect(main().locator('tbody tr td:first-child').allTextContents()).resolves.toEqual(['bastion-login']);
    await main().getByRole('link', { name: 'bastion-login' }).click();
    await page.getByRole('heading', { level: 1, name: 'bastion-login' }).waitFor();
  });

  it('downloads a backup, force-deletes the secret, and restores it from the file', async () => {
    await page.goto(`${server.url}/console/#/secrets/redis-db`);
    await page.getByRole('heading', { level: 1, name: 'redis-db' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download backup' }).click()]);
    expect(download.suggestedFilename()).toBe('redis-db.backup.json');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'volc-console-')), 'redis-db.backup.json');
    await download.saveAs(file);
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8'))).sort()).toEqual(['BackupData', 'SecretDataKey', 'Signature']);

    await page.getByRole('button', { name: 'Force delete' }).click();
    await page.getByRole('button', { name: 'Delete now, no recovery' }).click();
    await page.getByRole('heading', { level: 1, name: 'Secrets' }).waitFor();
    await page.getByText(`Page 1 of 1 · ${FORMS.length - 1} secrets`).waitFor();

    await page.getByRole('link', { name: 'Create', exact: true }).click();
    await page.getByLabel('Backup file').setInputFiles(file);
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await page.getByText('Restored.').waitFor();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    await page.getByRole('link', { name: 'Secrets', exact: true }).click();
    await page.getByText(`Page 1 of 1 · ${FORMS.length} secrets`).waitFor();
  });

  it('schedules a deletion, and the secret is gone once the clock passes the window', async () => {
    await page.goto(`${server.url}/console/#/secrets/app-db-url`);
    await page.getByRole('heading', { level: 1, name: 'app-db-url' }).waitFor();
    await page.getByLabel('Pending window (days)').fill('7');
    await page.getByRole('button', { name: 'Schedule deletion' }).click();
    await main().locator('[data-field="State"]', { hasText: 'PendingDelete' }).waitFor();
    await page.getByRole('button', { name: 'Cancel deletion' }).waitFor();

    await page.getByRole('link', { name: 'Clock' }).click();
    await page.getByLabel('Advance by').fill('8d');
    await page.getByRole('button', { name: 'Advance' }).click();
    await page.getByText('Advanced. Secrets purged: 1, rotated: 0.').waitFor();
    await shot('console-clock');

    await page.getByRole('link', { name: 'Secrets', exact: true }).click();
    await page.getByLabel('Search by name').fill('app-db-url');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No secret matches.').waitFor();
  });

  it("reads those calls' audit entries, newest first", async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    // the view opens with the newest entries of every kind
    await page.getByText(/^\d+ entries, newest first\.$/).waitFor();
    await page.getByLabel('Secret name', { exact: true }).fill('app-db-url');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText(/\d+ entries, newest first/).waitFor();
    const actions = await main().locator('tbody tr td:nth-child(2)').allTextContents();
    expect(actions).toEqual(expect.arrayContaining(['CreateSecret', 'GetSecretValue', 'ScheduleSecretDeletion']));
    expect(actions.indexOf('ScheduleSecretDeletion')).toBeLessThan(actions.indexOf('CreateSecret'));
    await page.getByLabel('Secret name', { exact: true }).fill('ci-deployer');
    await page.getByRole('button', { name: 'Search' }).click();
    await main().locator('tbody td', { hasText: 'RotateSecret' }).first().waitFor();
    await shot('console-audit');
    // the wrong key of the first step was recorded too, with its error code
    await page.getByLabel('Secret name', { exact: true }).fill('');
    await page.getByLabel('Error code').fill('SignatureDoesNotMatch');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('1 entry, newest first.').waitFor();
    await expect(main().locator('tbody tr td:nth-child(6)').allTextContents()).resolves.toEqual(['SignatureDoesNotMatch']);
    // a time window before any request: nothing
    await page.getByLabel('To (local time)').fill('2000-01-01T00:00:00');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No entry matches.').waitFor();
  });

  it('adds and removes a fault rule, and takes and restores a snapshot', async () => {
    await page.getByRole('link', { name: 'Fault rules' }).click();
    await page.getByText('No fault rules.').waitFor();
    await page.getByLabel('Action', { exact: true }).fill('GetSecretValue');
    await page.getByLabel('Error code').fill('FlowLimitExceeded');
    await page.getByLabel('Count').fill('1');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await main().locator('tbody td', { hasText: 'FlowLimitExceeded' }).waitFor();
    expect(server.faults.list()).toHaveLength(1);
    await page.getByRole('button', { name: /^Remove rule / }).click();
    await page.getByText('No fault rules.').waitFor();
    expect(server.faults.list()).toHaveLength(0);

    await page.getByRole('link', { name: 'Snapshots' }).click();
    await page.getByLabel('Snapshot name').fill('before-cleanup');
    await page.getByRole('button', { name: 'Take snapshot' }).click();
    await main().locator('tbody td', { hasText: 'before-cleanup' }).waitFor();
    await page.getByRole('button', { name: 'Restore snapshot before-cleanup' }).click();
    await page.getByText('Snapshot before-cleanup restored.').waitFor();
  });

  it('shows a Description that is markup as text, and runs no script from it', async () => {
    await openCreateForm('Generic');
    await page.getByLabel('Secret name', { exact: true }).fill('xss-check');
    await page.getByLabel('Description', { exact: true }).fill(XSS);
    await page.getByLabel('Secret value', { exact: true }).fill('v');
    await submitCreate('xss-check');
    await expect(main().locator('[data-field="Description"]').textContent()).resolves.toBe(XSS);
    await expect(main().locator('img').count()).resolves.toBe(0);
    // and through the description form (UpdateSecret) too
    await expect(page.getByLabel('Description', { exact: true }).inputValue()).resolves.toBe(XSS);
    await page.getByRole('button', { name: 'Save description' }).click();
    await page.getByText('Description saved.').waitFor();
    await expect(main().locator('[data-field="Description"]').textContent()).resolves.toBe(XSS);
    await expect(main().locator('img').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
  });

  it('reads well at phone width and in dark mode', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${server.url}/console/#/secrets`);
    await page.getByText(/Page 1 of 1/).waitFor();
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    const background = (await page.evaluate('getComputedStyle(document.body).backgroundColor')) as string;
    expect(background).toBe('rgb(20, 23, 28)');
    await shot('console-secrets-phone-dark');
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto(`${server.url}/console/#/secrets/ci-deployer`);
    await page.getByRole('heading', { level: 1, name: 'ci-deployer' }).waitFor();
    await shot('console-secret-detail-dark');
    expect(problems).toEqual([]);
  });

  it('sets a new value, changes a rotation policy, and cancels a scheduled deletion', async () => {
    await page.goto(`${server.url}/console/#/secrets/xss-check`);
    await page.getByRole('heading', { level: 1, name: 'xss-check' }).waitFor();
    await page.getByLabel('New value').fill('second value');
    await page.getByRole('button', { name: 'Set value' }).click();
    await page.getByRole('heading', { name: 'Versions (2)' }).waitFor();
    await page.getByText('A new version is CURRENT.').waitFor();
    await page.getByRole('button', { name: 'Reveal' }).click();
    await expect(page.locator('pre.secret-value').textContent()).resolves.toBe('second value');

    await page.getByRole('button', { name: 'Schedule deletion' }).click();
    await page.getByRole('button', { name: 'Cancel deletion' }).click();
    await page.getByText('Deletion cancelled.').waitFor();
    await expect(main().locator('[data-field="State"]').textContent()).resolves.toBe('Enable');

    await page.goto(`${server.url}/console/#/secrets/orders-rds`);
    await page.getByRole('heading', { level: 1, name: 'orders-rds' }).waitFor();
    await page.getByLabel('Rotation interval (days)').fill('7');
    await page.getByRole('button', { name: 'Save rotation policy' }).click();
    await page.getByText('Rotation policy saved.').waitFor();
    await expect(main().locator('[data-field="Rotation"]').textContent()).resolves.toBe('Every 7 d');
    await page.getByLabel('Rotate automatically').uncheck();
    await page.getByRole('button', { name: 'Save rotation policy' }).click();
    await main().locator('[data-field="Rotation"]', { hasText: 'Disable' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('labels every form control of every view, and every button has a name', async () => {
    const unlabelled = `Array.from(document.querySelectorAll('input, select, textarea'))
      .filter((el) => !el.closest('[hidden]') && el.labels.length === 0).map((el) => el.name)
      .concat(Array.from(document.querySelectorAll('button')).filter((b) => !b.textContent.trim() && !b.getAttribute('aria-label')).map(() => 'button'))`;
    const views: Array<[string, string]> = [
      ['#/secrets', 'Secrets'],
      ['#/secrets/ci-deployer', 'ci-deployer'],
      ['#/control/clock', 'Clock'],
      ['#/control/audit', 'Audit log'],
      ['#/control/faults', 'Fault rules'],
      ['#/control/snapshots', 'Snapshots'],
    ];
    for (const [hash, heading] of views) {
      await page.goto(`${server.url}/console/${hash}`);
      await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
      await page.locator('.status.working').first().waitFor({ state: 'detached' });
      expect({ hash, unlabelled: await page.evaluate(unlabelled) }).toEqual({ hash, unlabelled: [] });
    }
    for (const form of FORMS) {
      await page.goto(`${server.url}/console/#/create?type=${form.type}`);
      await main().locator('legend', { hasText: `${form.type} secret` }).waitFor();
      expect({ type: form.type, unlabelled: await page.evaluate(unlabelled) }).toEqual({ type: form.type, unlabelled: [] });
    }
  });

  it('signs out (the keys leave sessionStorage), shows no control views to a credential without control, and a saved key that stopped working leads back to sign-in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await expect(page.evaluate('sessionStorage.length')).resolves.toBe(0);

    // a credential that is not a control credential: its account's secrets, no control views
    await page.getByLabel('Access Key ID', { exact: true }).fill(otherAccount.accessKeyId);
    await page.getByLabel('Secret Access Key', { exact: true }).fill(otherAccount.secretAccessKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Secrets', exact: true }).click();
    await page.getByText('No secrets yet.').waitFor();
    await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents()).resolves.toEqual(['Secrets', 'Create']);
    await page.goto(`${server.url}/console/#/control/clock`);
    await page.getByRole('heading', { level: 1, name: 'Secrets' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();

    // a key the server does not know, as if it restarted with other credentials
    await page.evaluate(
      `sessionStorage.setItem('volc-secrets-console.credentials', JSON.stringify({ accessKeyId: 'AKLTgone', secretAccessKey: 'x', region: 'cn-beijing' }))`,
    );
    await page.reload();
    await page.getByText('The saved key no longer works here (InvalidAccessKey); sign in again.').waitFor();
    await expect(page.evaluate('sessionStorage.length')).resolves.toBe(0);
  });
});
