/**
 * One secret: every field, its versions with their stages, the value (fetched and put in the page only
 * when Reveal is pressed), and the actions on it, each with its outcome shown beside it.
 */
import { field, h, localTime, replace, select, table } from '../dom';
import { formOf } from '../secret-forms';
import { actionForm, panel, perform, statusLine, valueOf, type ViewContext } from '../ui';
import type { WireSecret } from '../../actions/wire-secret';
import { restoreForm } from './restore-form';
import { rotationText } from './secrets-list';


interface WireVersion {
  VersionID: string;
  VersionName: string;
  VersionStage: string;
  CreationDate: number;
}

/** A typed secret's value (JSON) indented for reading; other text as it is. */
export function formatValue(value: string): string {
  const t = value.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return value;
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}

function facts(s: WireSecret): HTMLElement {
  const rows: Array<[string, string]> = [
    ['Name', s.SecretName],
    ['TRN', s.Trn],
    ['ID', s.ID],
    ['Account', s.UID],
    ['Type', s.SecretType],
    ['State', s.SecretState],
    ['Project', s.ProjectName],
    ['Description', s.Description],
    ['Extended config', s.ExtendedConfig ? formatValue(s.ExtendedConfig) : ''],
    ['Encryption key', s.EncryptionKey],
    ['Managed', s.Managed ? `Yes (${s.OwningService})` : 'No'],
    ['Rotation', rotationText(s)],
    ['Last rotation', localTime(s.LastRotationTime)],
    ['Next rotation', localTime(s.ScheduleRotationTime)],
    ['Deletion scheduled for', localTime(s.ScheduleDeleteTime)],
    ['Created', localTime(s.CreationDate * 1000)],
    ['Updated', localTime(s.UpdateDate)],
  ];
  return h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-field': k }, v || '—')]));
}

function valuePanel(ctx: ViewContext, name: string, versions: readonly WireVersion[]): HTMLElement {
  const status = statusLine();
  const output = h('div', { class: 'value-box' });
  const current = versions.find((v) => v.VersionStage === 'CURRENT');
  const version = select(
    'version',
    versions.map((v): [string, string] => [v.VersionID, `${v.VersionStage} · ${v.VersionName || v.VersionID}`]),
    current?.VersionID,
  );
  const reveal = h('button', { type: 'button' }, 'Reveal');
  const hide = h('button', { type: 'button', hidden: true }, 'Hide');
  const hideValue = () => {
    // the value leaves the DOM, not only the screen
    replace(output);
    replace(status);
    hide.hidden = true;
    reveal.hidden = false;
  };
  reveal.addEventListener('click', () => {
    void perform(reveal, status, async () => {
      const result = await ctx.api.call('GetSecretValue', { SecretName: name, VersionID: version.value || undefined });
      replace(output, h('pre', { class: 'secret-value', tabindex: 0, 'aria-label': 'Secret value' }, formatValue(String(result.SecretValue ?? ''))));
      reveal.hidden = true;
      hide.hidden = false;
      hide.focus();
      return `Version ${String(result.VersionID ?? '')} (${String(result.VersionStage ?? '')}).`;
    });
  });
  hide.addEventListener('click', () => {
    hideValue();
    reveal.focus();
  });
  version.addEventListener('change', hideValue);
  return panel(
    'Value',
    h('p', { class: 'hint' }, 'Hidden until you reveal it.'),
    versions.length > 1 ? field('Version to reveal', version) : null,
    h('div', { class: 'actions' }, reveal, hide),
    status,
    output,
  );
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = h('a', { href: url, download: fileName, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function actionsPanel(ctx: ViewContext, s: WireSecret, reload: (notice: string) => Promise<boolean>): HTMLElement {
  const name = s.SecretName;
  const form = formOf(s.SecretType);
  const rotatable = form ? form.rotatable : s.SecretType !== 'Generic';
  const call = (action: string, params: Record<string, unknown>, done: string) => async () => {
    await ctx.api.call(action, { SecretName: name, ...params });
    // the view is drawn again from the server's answer (this form with it); the outcome is announced
    // at the top once the new view is in place, so nothing shows "done" beside stale facts
    await reload(done);
  };
  const parts: HTMLElement[] = [];

  if (!rotatable) {
    parts.push(
      actionForm('Set value', [h('h3', {}, 'New version'), field('New value', h('textarea', { name: 'value', rows: 3, spellcheck: 'false' }))], (f) => {
        const value = (f.elements.namedItem('value') as HTMLTextAreaElement).value;
        return call('SetSecretValue', { SecretValue: value }, 'A new version is CURRENT.')();
      }),
    );
  } else {
    const rotateStatus = statusLine();
    const rotate = h('button', { type: 'button' }, 'Rotate now');
    rotate.addEventListener('click', () => void perform(rotate, rotateStatus, call('RotateSecret', {}, 'Rotated: a new version is CURRENT.')));
    parts.push(h('div', { class: 'action-form' }, h('h3', {}, 'Rotate'), h('div', { class: 'actions' }, rotate), rotateStatus));
    const enabled = s.RotationState === 'Enable';
    parts.push(
      actionForm(
        'Save rotation policy',
        [
          h('h3', {}, 'Rotation policy'),
          h('div', { class: 'field checkbox' }, h('input', { type: 'checkbox', id: 'auto-rotation', name: 'auto', checked: enabled }), h('label', { for: 'auto-rotation' }, 'Rotate automatically')),
          field('Rotation interval (days)', h('input', { name: 'days', type: 'number', min: 1, max: 365, value: enabled ? Math.round(s.RotationInterval / 86400) : 30 })),
        ],
        (f) => {
          const auto = (f.elements.namedItem('auto') as HTMLInputElement).checked;
          return call('UpdateSecretRotationPolicy', { AutomaticRotation: auto, RotationInterval: auto ? `${valueOf(f, 'days')}d` : undefined }, 'Rotation policy saved.')();
        },
      ),
    );
  }

  parts.push(
    actionForm('Save description', [h('h3', {}, 'Description'), field('Description', h('textarea', { name: 'description', rows: 2 }))], (f) =>
      call('UpdateSecret', { Description: (f.elements.namedItem('description') as HTMLTextAreaElement).value }, 'Description saved.')(),
    ),
  );
  // the textarea is filled through .value: data never goes through markup
  ((parts[parts.length - 1] as HTMLFormElement).elements.namedItem('description') as HTMLTextAreaElement).value = s.Description;

  if (s.SecretState === 'PendingDelete') {
    const cancelStatus = statusLine();
    const cancel = h('button', { type: 'button' }, 'Cancel deletion');
    cancel.addEventListener('click', () => void perform(cancel, cancelStatus, call('CancelSecretDeletion', {}, 'Deletion cancelled.')));
    parts.push(h('div', { class: 'action-form' }, h('h3', {}, 'Deletion'), h('p', {}, `Deleted for good at ${localTime(s.ScheduleDeleteTime)}.`), h('div', { class: 'actions' }, cancel), cancelStatus));
  } else {
    parts.push(
      actionForm(
        'Schedule deletion',
        [h('h3', {}, 'Deletion'), field('Pending window (days)', h('input', { name: 'window', type: 'number', min: 7, max: 30, value: 7 }), '7 to 30 days; the secret can be restored until then.')],
        (f) => call('ScheduleSecretDeletion', { PendingWindowInDays: Number(valueOf(f, 'window')) }, 'Deletion scheduled.')(),
        'danger',
      ),
    );
  }
  // two steps in the page rather than window.confirm: keyboard-friendly and visible to tests
  const forceStatus = statusLine();
  const force = h('button', { type: 'button', class: 'danger' }, 'Force delete');
  const confirmForce = h('button', { type: 'button', class: 'danger', hidden: true }, 'Delete now, no recovery');
  const keep = h('button', { type: 'button', hidden: true }, 'Keep it');
  const confirming = (on: boolean) => {
    force.hidden = on;
    confirmForce.hidden = !on;
    keep.hidden = !on;
    (on ? keep : force).focus();
  };
  force.addEventListener('click', () => confirming(true));
  keep.addEventListener('click', () => confirming(false));
  confirmForce.addEventListener('click', () =>
    void perform(confirmForce, forceStatus, async () => {
      await ctx.api.call('ScheduleSecretDeletion', { SecretName: name, ForceDelete: true });
      ctx.go('#/secrets');
    }),
  );
  parts.push(
    h('div', { class: 'action-form' }, h('h3', {}, 'Delete now'), h('p', { class: 'hint' }, 'No recovery window: the secret and its versions are gone at once.'), h('div', { class: 'actions' }, force, confirmForce, keep), forceStatus),
  );

  const backupStatus = statusLine();
  const backup = h('button', { type: 'button' }, 'Download backup');
  backup.addEventListener('click', () =>
    void perform(backup, backupStatus, async () => {
      const result = await ctx.api.call('BackupSecret', { SecretName: name });
      download(`${name}.backup.json`, JSON.stringify(result, null, 2));
      return 'Backup downloaded.';
    }),
  );
  parts.push(h('div', { class: 'action-form' }, h('h3', {}, 'Backup'), h('div', { class: 'actions' }, backup), backupStatus));
  parts.push(restoreForm(ctx));
  return panel('Actions', h('div', { class: 'action-grid' }, ...parts));
}

export function secretDetailView(ctx: ViewContext, name: string): HTMLElement {
  const status = statusLine();
  status.tabIndex = -1;
  const body = h('div', {});
  const load = (notice = ''): Promise<boolean> =>
    perform(null, status, async () => {
      const [described, versions] = await Promise.all([
        ctx.api.call('DescribeSecret', { SecretName: name }),
        ctx.api.call('DescribeSecretVersions', { SecretName: name, PageSize: 100 }),
      ]);
      const s = described.Secret as WireSecret;
      const list = (versions.SecretVersions ?? []) as WireVersion[];
      replace(
        body,
        panel('Details', facts(s)),
        panel(
          `Versions (${list.length})`,
          table('Versions', ['Version ID', 'Name', 'Stage', 'Created'], list.map((v) => [v.VersionID, v.VersionName || '—', v.VersionStage, localTime(v.CreationDate * 1000)])),
        ),
        valuePanel(ctx, name, list),
        actionsPanel(ctx, s, load),
      );
      if (notice) status.focus();
      return notice;
    });
  void load();
  return h('div', { class: 'view' }, h('p', {}, h('a', { href: '#/secrets' }, '← All secrets')), h('h1', {}, name), status, body);
}
