/**
 * Sign in like an SDK: the access key pair and a region. The pair is checked by one signed call
 * (DescribeSecrets); a wrong key shows the API's own error under the form.
 */
import { ApiClient, type Credentials } from '../api';
import { field, h } from '../dom';
import type { Subtle } from '../signer';
import { actionForm, valueOf } from '../ui';

export function signInView(defaultRegion: string, subtle: Subtle, notice: string, onSignedIn: (c: Credentials) => void): HTMLElement {
  const form = actionForm(
    'Sign in',
    [
      // autocomplete off: the key belongs in this tab's sessionStorage, not in a password manager
      field('Access Key ID', h('input', { name: 'accessKeyId', autocomplete: 'off', required: true, spellcheck: 'false', autocapitalize: 'off' })),
      field('Secret Access Key', h('input', { name: 'secretAccessKey', type: 'password', autocomplete: 'off', required: true })),
      field('Region', h('input', { name: 'region', value: defaultRegion, required: true, spellcheck: 'false', autocapitalize: 'off' })),
    ],
    async (f) => {
      const credentials = { accessKeyId: valueOf(f, 'accessKeyId'), secretAccessKey: valueOf(f, 'secretAccessKey'), region: valueOf(f, 'region') };
      if (!credentials.accessKeyId || !credentials.secretAccessKey || !credentials.region) throw new Error('Give the Access Key ID, the Secret Access Key and the Region.');
      await new ApiClient(credentials, subtle).call('DescribeSecrets', { PageSize: 1 });
      onSignedIn(credentials);
    },
    'sign-in',
  );
  return h(
    'main',
    { id: 'main', class: 'sign-in-page' },
    h('h1', {}, 'Volcengine Secrets Manager (local)'),
    h('p', {}, 'Sign in with an access key pair the server accepts. The keys stay in this tab (sessionStorage) and sign each request here.'),
    notice ? h('p', { class: 'status error', role: 'alert' }, notice) : null,
    form,
  );
}
