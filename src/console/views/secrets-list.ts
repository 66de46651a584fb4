/**
 * The secrets table: DescribeSecrets with a SecretName search, type and state filters, and paging.
 * The search and filters live in the URL hash, so Back returns to the same page of results.
 */
import { field, h, localTime, replace, select, table } from '../dom';
import { SECRET_FORMS, SECRET_STATES } from '../secret-forms';
import { perform, statusLine, type ViewContext } from '../ui';
import type { WireSecret } from '../../actions/wire-secret';

export const PAGE_SIZE = 10;

export interface ListQuery {
  name: string;
  type: string;
  state: string;
  page: number;
}

export function readListQuery(params: URLSearchParams): ListQuery {
  const page = Number(params.get('page'));
  return { name: params.get('name') ?? '', type: params.get('type') ?? '', state: params.get('state') ?? '', page: Number.isInteger(page) && page > 0 ? page : 1 };
}

function listHash(q: ListQuery): string {
  const p = new URLSearchParams();
  if (q.name) p.set('name', q.name);
  if (q.type) p.set('type', q.type);
  if (q.state) p.set('state', q.state);
  if (q.page > 1) p.set('page', String(q.page));
  const s = p.toString();
  return `#/secrets${s ? `?${s}` : ''}`;
}

function filters(q: ListQuery): string | undefined {
  const list: Array<{ Key: string; Values: string[] }> = [];
  if (q.name) list.push({ Key: 'SecretName', Values: [q.name] });
  if (q.type) list.push({ Key: 'SecretType', Values: [q.type] });
  if (q.state) list.push({ Key: 'SecretState', Values: [q.state] });
  return list.length ? JSON.stringify(list) : undefined;
}


export function rotationText(s: { RotationState: string; RotationInterval: number }): string {
  if (s.RotationState !== 'Enable') return s.RotationState;
  return `Every ${Math.round(s.RotationInterval / 86400)} d`;
}

export function secretsListView(ctx: ViewContext, q: ListQuery): HTMLElement {
  const search = h('input', { name: 'name', type: 'search', value: q.name, spellcheck: 'false', autocapitalize: 'off' });
  const typeSelect = select('type', [['', 'All types'], ...SECRET_FORMS.map((f) => f.type)], q.type);
  const stateSelect = select('state', [['', 'All states'], ...SECRET_STATES], q.state);
  const form = h(
    'form',
    { class: 'filters', role: 'search' },
    field('Search by name', search),
    field('Type', typeSelect),
    field('State', stateSelect),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Search')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.go(listHash({ name: search.value.trim(), type: typeSelect.value, state: stateSelect.value, page: 1 }));
  });
  // a filter choice applies at once, as in the cloud console
  for (const s of [typeSelect, stateSelect]) s.addEventListener('change', () => form.requestSubmit());

  const status = statusLine();
  const results = h('div', { class: 'results' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  void perform(null, status, async () => {
    const result = await ctx.api.call('DescribeSecrets', { Filters: filters(q), CurrentPage: q.page, PageSize: PAGE_SIZE });
    const secrets = (result.Secrets ?? []) as WireSecret[];
    const info = (result.PageInfo ?? {}) as { TotalCount?: number };
    const total = info.TotalCount ?? secrets.length;
    if (secrets.length === 0) {
      replace(results, h('p', { class: 'empty' }, q.name || q.type || q.state ? 'No secret matches.' : 'No secrets yet.'));
    } else {
      replace(
        results,
        table(
          'Secrets',
          ['Name', 'Type', 'State', 'Rotation', 'Project', 'Updated'],
          secrets.map((s) => [
            h('a', { href: `#/secrets/${encodeURIComponent(s.SecretName)}` }, s.SecretName),
            s.SecretType,
            h('span', { class: `state state-${s.SecretState}` }, s.SecretState),
            rotationText(s),
            s.ProjectName,
            localTime(s.UpdateDate),
          ]),
        ),
      );
    }
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    replace(
      pager,
      h('a', { href: listHash({ ...q, page: q.page - 1 }), class: 'button', 'aria-disabled': q.page <= 1 ? 'true' : undefined, hidden: q.page <= 1 }, '← Previous'),
      h('span', {}, `Page ${q.page} of ${pages} · ${total} secret${total === 1 ? '' : 's'}`),
      h('a', { href: listHash({ ...q, page: q.page + 1 }), class: 'button', hidden: q.page >= pages }, 'Next →'),
    );
    return '';
  });

  return h(
    'div',
    { class: 'view' },
    h('div', { class: 'view-head' }, h('h1', {}, 'Secrets'), h('a', { href: '#/create', class: 'button primary' }, 'Create secret')),
    form,
    status,
    results,
    pager,
  );
}
