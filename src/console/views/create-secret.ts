/**
 * Create a secret: the common fields, then the fields of the chosen SecretType (from SECRET_FORMS).
 * The server validates; its refusal (Code and Message, naming the parameter) shows under the form.
 */
import { field, h, replace, select } from '../dom';
import { formOf, SECRET_FORMS, type FormField, type SecretForm } from '../secret-forms';
import { actionForm, panel, valueOf, type ViewContext } from '../ui';
import { restoreForm } from './restore-form';

function inputFor(f: FormField): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  const name = `v.${f.key}`;
  if (f.kind === 'select') return select(name, f.options ?? []);
  if (f.kind === 'textarea') return h('textarea', { name, rows: 3, spellcheck: 'false', required: f.required });
  return h('input', { name, type: f.kind === 'password' ? 'password' : 'text', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', required: f.required });
}

/** The type's values as typed (secret text is not trimmed; shown fields only). */
function typeValues(form: HTMLFormElement, spec: SecretForm): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const f of spec.fields) {
    const el = form.elements.namedItem(`v.${f.key}`) as HTMLInputElement | null;
    raw[f.key] = el ? (f.kind === 'textarea' ? el.value : el.value.trim()) : '';
  }
  const shown: Record<string, string> = {};
  for (const f of spec.fields) if (!f.shownWhen || f.shownWhen(raw)) shown[f.key] = raw[f.key];
  return shown;
}

export function createSecretView(ctx: ViewContext, initialType: string): HTMLElement {
  let spec = formOf(initialType) ?? SECRET_FORMS[0];
  const typeSelect = select('type', SECRET_FORMS.map((f) => f.type), spec.type);
  const typeFields = h('fieldset', { class: 'type-fields' });
  const rotation = h('fieldset', { class: 'rotation-fields' });

  const showFields = () => {
    const values: Record<string, string> = {};
    for (const f of spec.fields) {
      const el = form.elements.namedItem(`v.${f.key}`) as HTMLInputElement | null;
      values[f.key] = el?.value ?? (f.options?.[0] ?? '');
    }
    for (const wrapper of Array.from(typeFields.querySelectorAll<HTMLElement>('[data-key]'))) {
      const f = spec.fields.find((x) => x.key === wrapper.dataset.key);
      wrapper.hidden = Boolean(f?.shownWhen && !f.shownWhen(values));
    }
  };
  const renderType = () => {
    replace(
      typeFields,
      h('legend', {}, `${spec.type} secret`),
      ...spec.fields.map((f) => {
        const wrapper = field(f.label, inputFor(f), f.hint);
        wrapper.dataset.key = f.key;
        return wrapper;
      }),
    );
    for (const el of Array.from(typeFields.querySelectorAll('select'))) el.addEventListener('change', showFields);
    replace(
      rotation,
      ...(spec.rotatable
        ? [
            h('legend', {}, 'Rotation'),
            h('div', { class: 'field checkbox' }, h('input', { type: 'checkbox', id: 'create-auto-rotation', name: 'auto' }), h('label', { for: 'create-auto-rotation' }, 'Rotate automatically')),
            field('Rotation interval (days)', h('input', { name: 'days', type: 'number', min: 1, max: 365, value: 30 })),
          ]
        : []),
    );
    rotation.hidden = !spec.rotatable;
    showFields();
  };

  const form = actionForm(
    'Create',
    [
      field('Secret name', h('input', { name: 'name', required: true, spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off' }), '2 to 31 characters: letters, digits, - and _.'),
      field('Secret type', typeSelect),
      field('Description', h('textarea', { name: 'description', rows: 2 })),
      field('Project', h('input', { name: 'project', spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off' }), 'Optional; default is "default".'),
      typeFields,
      rotation,
    ],
    async (f) => {
      const built = spec.build(typeValues(f, spec));
      const auto = spec.rotatable && (f.elements.namedItem('auto') as HTMLInputElement | null)?.checked === true;
      const name = valueOf(f, 'name');
      await ctx.api.call('CreateSecret', {
        SecretName: name,
        SecretType: spec.type,
        SecretValue: built.secretValue,
        ExtendedConfig: built.extendedConfig,
        Description: (f.elements.namedItem('description') as HTMLTextAreaElement).value || undefined,
        ProjectName: valueOf(f, 'project') || undefined,
        AutomaticRotation: spec.rotatable ? auto : undefined,
        RotationInterval: auto ? `${valueOf(f, 'days')}d` : undefined,
      });
      ctx.go(`#/secrets/${encodeURIComponent(name)}`);
    },
    'create-form',
  );
  typeSelect.addEventListener('change', () => {
    spec = formOf(typeSelect.value) ?? SECRET_FORMS[0];
    renderType();
  });
  renderType();
  return h(
    'div',
    { class: 'view' },
    h('p', {}, h('a', { href: '#/secrets' }, '← All secrets')),
    h('h1', {}, 'Create secret'),
    panel('New secret', form),
    panel('Or restore one', restoreForm(ctx)),
  );
}
