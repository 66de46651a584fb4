/**
 * The console's entry point: sign in, then a hash router over the views. Everything the page
 * shows is built as DOM nodes with text (dom.ts); the only script is this bundle (strict CSP).
 */
import { ApiCallError, ApiClient, type Credentials } from './api';
import { h, replace } from './dom';
import { forgetCredentials, loadCredentials, saveCredentials } from './session';
import type { Subtle } from './signer';
import type { ViewContext } from './ui';
import { auditView, clockView, faultsView, snapshotsView } from './views/control';
import { createSecretView } from './views/create-secret';
import { secretDetailView } from './views/secret-detail';
import { readListQuery, secretsListView } from './views/secrets-list';
import { signInView } from './views/sign-in';

const subtle = crypto.subtle as unknown as Subtle;
const root = document.getElementById('app') as HTMLElement;
/** The server's region, written into the page by the server (a meta tag: no inline script). */
const serverRegion = document.querySelector<HTMLMetaElement>('meta[name="volc-secrets-region"]')?.content || 'cn-beijing';

const CONTROL_LINKS: Array<[string, string]> = [
  ['#/control/clock', 'Clock'],
  ['#/control/audit', 'Audit log'],
  ['#/control/faults', 'Fault rules'],
  ['#/control/snapshots', 'Snapshots'],
];

function route(ctx: ViewContext, hash: string): HTMLElement {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'secrets' && parts[1]) return secretDetailView(ctx, decodeURIComponent(parts[1]));
  if (parts[0] === 'create') return createSecretView(ctx, params.get('type') ?? '');
  if (parts[0] === 'control' && ctx.control) {
    if (parts[1] === 'clock') return clockView(ctx);
    if (parts[1] === 'audit') return auditView(ctx);
    if (parts[1] === 'faults') return faultsView(ctx);
    if (parts[1] === 'snapshots') return snapshotsView(ctx);
  }
  return secretsListView(ctx, readListQuery(params));
}

function showSignIn(notice = ''): void {
  document.title = 'Sign in · Secrets console';
  replace(
    root,
    signInView(serverRegion, subtle, notice, (c) => {
      saveCredentials(c);
      void showConsole(c);
    }),
  );
  root.querySelector('input')?.focus();
}

/** Codes that mean the saved key no longer works here (the server restarted with other keys). */
const SIGNED_OUT_CODES = new Set(['InvalidAccessKey', 'SignatureDoesNotMatch', 'MissingAuthenticationToken']);

async function showConsole(credentials: Credentials): Promise<void> {
  replace(root, h('p', { class: 'status working', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Loading…'));
  const progress = h('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Loading', hidden: true });
  const api = new ApiClient(credentials, subtle, (n) => {
    progress.hidden = n === 0;
  });
  try {
    await api.call('DescribeSecrets', { PageSize: 1 });
  } catch (e) {
    if (e instanceof ApiCallError && SIGNED_OUT_CODES.has(e.code)) {
      forgetCredentials();
      return showSignIn(`The saved key no longer works here (${e.code}); sign in again.`);
    }
  }
  // the control views are offered when this credential may call /_local (the server decides)
  const control = await api.control('GET', '/clock').then(
    () => true,
    () => false,
  );
  const main = h('main', { id: 'main', tabindex: -1 });
  const links: Array<[string, string]> = [['#/secrets', 'Secrets'], ['#/create', 'Create'], ...(control ? CONTROL_LINKS : [])];
  const nav = h('nav', { 'aria-label': 'Console' }, h('ul', {}, ...links.map(([href, label]) => h('li', {}, h('a', { href }, label)))));
  const signOut = h('button', { type: 'button', class: 'link' }, 'Sign out');
  signOut.addEventListener('click', () => {
    forgetCredentials();
    window.removeEventListener('hashchange', onHashChange);
    showSignIn();
  });
  // the hash is the router's: the skip link moves focus itself
  const skip = h('a', { href: '#/', class: 'skip' }, 'Skip to content');
  skip.addEventListener('click', (e) => {
    e.preventDefault();
    main.focus();
  });
  const header = h(
    'header',
    { class: 'top' },
    skip,
    h('a', { href: '#/secrets', class: 'brand' }, 'Secrets console'),
    nav,
    h('div', { class: 'who' }, h('span', { title: 'Access Key ID' }, credentials.accessKeyId), ' · ', h('span', {}, credentials.region), ' ', signOut),
    progress,
  );
  const ctx: ViewContext = { api, region: credentials.region, control, go: (hash) => (location.hash === hash ? render() : (location.hash = hash)) };
  function render(): void {
    const hash = location.hash || '#/secrets';
    for (const a of Array.from(nav.querySelectorAll('a'))) {
      const href = a.getAttribute('href') ?? '';
      if (hash === href || hash.startsWith(`${href}/`) || hash.startsWith(`${href}?`)) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const view = route(ctx, hash);
    replace(main, view);
    document.title = `${view.querySelector('h1')?.textContent ?? 'Console'} · Secrets console`;
  }
  replace(root, header, main);
  function onHashChange(): void {
    render();
    main.focus();
  }
  window.addEventListener('hashchange', onHashChange);
  render();
}

const saved = loadCredentials();
if (saved) void showConsole(saved);
else showSignIn();
