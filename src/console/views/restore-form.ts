/** Restore a secret from a backup file that Download backup (BackupSecret) produced. */
import { field, h } from '../dom';
import { actionForm, type ViewContext } from '../ui';

export function restoreForm(ctx: ViewContext): HTMLFormElement {
  return actionForm(
    'Restore',
    [h('h3', {}, 'Restore from a backup'), field('Backup file', h('input', { name: 'file', type: 'file', accept: '.json,application/json' }))],
    async (f) => {
      const file = (f.elements.namedItem('file') as HTMLInputElement).files?.[0];
      if (!file) throw new Error('Choose a backup file first.');
      let backup: Record<string, unknown>;
      try {
        backup = JSON.parse(await file.text()) as Record<string, unknown>;
      } catch {
        throw new Error('The file is not a backup (JSON with BackupData, SecretDataKey and Signature).');
      }
      await ctx.api.call('RestoreSecret', { BackupData: backup.BackupData, SecretDataKey: backup.SecretDataKey, Signature: backup.Signature });
      return 'Restored.';
    },
  );
}
