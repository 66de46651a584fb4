/**
 * The local control API (/_local), for a credential allowed to call it: the secrets' clock, the audit
 * log, fault rules and snapshots. Each view is a thin form over one or two control operations.
 */
import { field, h, localTime, replace, select, table } from '../dom';
import { actionForm, panel, perform, statusLine, valueOf, type ViewContext } from '../ui';

type Row = Record<string, unknown>;
const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** 694800000 → "8d 1h" (whole minutes at most; seconds only under a minute). */
export function durationText(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const parts: Array<[number, string]> = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
  ];
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join(' ');
}

export function clockView(ctx: ViewContext): HTMLElement {
  const now = h('p', { class: 'clock-now' });
  const status = statusLine();
  const show = (r: Row) => {
    const offset = Number(r.offsetMs ?? 0);
    replace(now, h('strong', {}, localTime(Number(r.now))), ` (${text(r.time)}), ${offset ? `${durationText(offset)} ahead of real time` : 'real time'}`);
  };
  void perform(null, status, async () => show(await ctx.api.control('GET', '/clock')));
  const advance = actionForm('Advance', [field('Advance by', h('input', { name: 'by', value: '1d', spellcheck: 'false', autocapitalize: 'off' }), 'A duration such as 8d, 36h, 1d12h, 90s.')], async (f) => {
    const r = await ctx.api.control('POST', '/clock/advance', { by: valueOf(f, 'by') });
    show(r);
    const sweep = (r.sweep ?? {}) as Row;
    return `Advanced. Secrets purged: ${text(sweep.purged ?? 0)}, rotated: ${text(sweep.rotated ?? 0)}.`;
  });
  return h('div', { class: 'view' }, h('h1', {}, 'Clock'), panel('Now on the secrets\u2019 clock', now, status), panel('Move time forward', advance));
}

/** A datetime-local value (the browser's time zone) as the ISO instant the control API takes. */
function isoTime(local: string): string | undefined {
  if (!local) return undefined;
  const ms = new Date(local).getTime();
  return Number.isNaN(ms) ? local : new Date(ms).toISOString();
}

const OUTCOMES: Array<[string, string]> = [
  ['', 'Any outcome'],
  ['success', 'Success'],
  ['error', 'Error'],
];

export function auditView(ctx: ViewContext): HTMLElement {
  const results = h('div', {});
  const form = actionForm(
    'Search',
    [
      field('Action', h('input', { name: 'action', spellcheck: 'false', autocapitalize: 'off' })),
      field('Secret name', h('input', { name: 'secretName', spellcheck: 'false', autocapitalize: 'off' })),
      field('Access key', h('input', { name: 'accessKeyId', spellcheck: 'false', autocapitalize: 'off' })),
      field('Outcome', select('outcome', OUTCOMES)),
      field('Error code', h('input', { name: 'code', spellcheck: 'false', autocapitalize: 'off' }), 'Only this Code (instead of Outcome).'),
      field('From (local time)', h('input', { name: 'from', type: 'datetime-local', step: 1 })),
      field('To (local time)', h('input', { name: 'to', type: 'datetime-local', step: 1 })),
      field('Request ID', h('input', { name: 'requestId', spellcheck: 'false', autocapitalize: 'off' })),
      field('Limit', h('input', { name: 'limit', type: 'number', min: 1, max: 10000, value: 100 })),
    ],
    async (f) => {
      const r = await ctx.api.control('GET', '/audit', {
        action: valueOf(f, 'action'),
        secretName: valueOf(f, 'secretName'),
        accessKeyId: valueOf(f, 'accessKeyId'),
        outcome: valueOf(f, 'code') || valueOf(f, 'outcome'),
        from: isoTime(valueOf(f, 'from')),
        to: isoTime(valueOf(f, 'to')),
        requestId: valueOf(f, 'requestId'),
        limit: valueOf(f, 'limit'),
        order: 'newest',
      });
      const entries = (r.entries ?? []) as Row[];
      replace(
        results,
        entries.length === 0
          ? h('p', { class: 'empty' }, 'No entry matches.')
          : table(
              'Audit log, newest first',
              ['Time', 'Action', 'Secret', 'Access key', 'Status', 'Outcome', 'Request ID'],
              entries.map((e) => [
                localTime(Number(e.at)),
                text(e.action) || text(e.method),
                text(e.secretName),
                text(e.accessKeyId),
                text(e.status),
                h('span', { class: e.errorCode ? 'outcome-error' : 'outcome-ok' }, e.errorCode ? text(e.errorCode) : 'Success'),
                text(e.requestId),
              ]),
            ),
      );
      return `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, newest first.`;
    },
    'audit-filters',
  );
  // the first search runs once the view is in the page (a detached form does not submit)
  queueMicrotask(() => form.requestSubmit());
  return h('div', { class: 'view' }, h('h1', {}, 'Audit log'), form, results);
}

export function faultsView(ctx: ViewContext): HTMLElement {
  const list = h('div', {});
  const listStatus = statusLine();
  const load = () =>
    void perform(null, listStatus, async () => {
      const rules = ((await ctx.api.control('GET', '/faults')).rules ?? []) as Row[];
      replace(
        list,
        rules.length === 0
          ? h('p', { class: 'empty' }, 'No fault rules.')
          : table(
              'Fault rules',
              ['ID', 'Action', 'Secret', 'Error', 'Count', 'Probability', 'Delay (ms)', ''],
              rules.map((r) => {
                const remove = h('button', { type: 'button', 'aria-label': `Remove rule ${text(r.id)}` }, 'Remove');
                remove.addEventListener('click', () => void perform(remove, listStatus, async () => {
                  await ctx.api.control('DELETE', `/faults/${encodeURIComponent(text(r.id))}`);
                  load();
                }));
                return [text(r.id), text(r.action), text(r.secretName), text(r.error), text(r.count), text(r.probability), text(r.delayMs), remove];
              }),
            ),
      );
      return '';
    });
  const add = actionForm(
    'Add rule',
    [
      field('Action', h('input', { name: 'action', value: '*', spellcheck: 'false', autocapitalize: 'off' }), 'An Action name, or * for every Action.'),
      field('Secret name', h('input', { name: 'secretName', spellcheck: 'false', autocapitalize: 'off' })),
      field('Error code', h('input', { name: 'error', spellcheck: 'false', autocapitalize: 'off' }), 'A Code such as FlowLimitExceeded; empty for a delay only.'),
      field('Count', h('input', { name: 'count', type: 'number', min: 1 })),
      field('Probability', h('input', { name: 'probability', type: 'number', min: 0, max: 1, step: 'any' })),
      field('Delay (ms)', h('input', { name: 'delayMs', type: 'number', min: 0, max: 60000 })),
    ],
    async (f) => {
      const num = (n: string) => (valueOf(f, n) === '' ? undefined : Number(valueOf(f, n)));
      const r = await ctx.api.control('POST', '/faults', {
        action: valueOf(f, 'action'),
        secretName: valueOf(f, 'secretName') || undefined,
        error: valueOf(f, 'error') || undefined,
        count: num('count'),
        probability: num('probability'),
        delayMs: num('delayMs'),
      });
      load();
      return `Rule ${text((r.rule as Row | undefined)?.id)} added.`;
    },
  );
  load();
  return h('div', { class: 'view' }, h('h1', {}, 'Fault rules'), panel('Active rules', listStatus, list), panel('Add a rule', add));
}

export function snapshotsView(ctx: ViewContext): HTMLElement {
  const list = h('div', {});
  const listStatus = statusLine();
  const load = () =>
    void perform(null, listStatus, async () => {
      const snaps = ((await ctx.api.control('GET', '/snapshots')).snapshots ?? []) as Row[];
      replace(
        list,
        snaps.length === 0
          ? h('p', { class: 'empty' }, 'No snapshots.')
          : table(
              'Snapshots',
              ['Name', 'Taken', 'Secrets', 'Versions', ''],
              snaps.map((s) => {
                const name = text(s.name);
                const restore = h('button', { type: 'button', 'aria-label': `Restore snapshot ${name}` }, 'Restore');
                restore.addEventListener('click', () => void perform(restore, listStatus, async () => {
                  await ctx.api.control('POST', `/snapshots/${encodeURIComponent(name)}/restore`);
                  return `Snapshot ${name} restored.`;
                }));
                const remove = h('button', { type: 'button', 'aria-label': `Delete snapshot ${name}` }, 'Delete');
                remove.addEventListener('click', () => void perform(remove, listStatus, async () => {
                  await ctx.api.control('DELETE', `/snapshots/${encodeURIComponent(name)}`);
                  load();
                }));
                return [name, localTime(Number(s.takenAt)), text(s.secrets), text(s.versions), h('span', { class: 'actions' }, restore, remove)];
              }),
            ),
      );
      return '';
    });
  const take = actionForm('Take snapshot', [field('Snapshot name', h('input', { name: 'name', spellcheck: 'false', autocapitalize: 'off' }), 'Optional; a fresh name when empty.')], async (f) => {
    const r = await ctx.api.control('POST', '/snapshots', { name: valueOf(f, 'name') || undefined });
    load();
    return `Snapshot ${text(r.name)} taken.`;
  });
  load();
  return h('div', { class: 'view' }, h('h1', {}, 'Snapshots'), panel('Saved snapshots', listStatus, list), panel('Take a snapshot', take));
}
