/**
 * The console's create forms (src/console/secret-forms.ts) are data: one entry per SecretType. Every
 * type the server knows must have a form (a new type fails here until its entry exists), and what
 * each form builds from typical input must pass the server's own shape checks (schemas/secret-types),
 * for every sub-type the form offers.
 */
import { SECRET_TYPES, type SecretType } from '../../src/domain/types';
import { JsonSchemaShapeChecker } from '../../src/validation/secret-shapes';
import { SECRET_FORMS, formOf, type SecretForm } from '../../src/console/secret-forms';

const checker = new JsonSchemaShapeChecker();

/** Typical input: a value for every field (select fields take `choice`), as a person would fill the form. */
function filled(form: SecretForm, choice: string | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of form.fields) {
    if (f.kind === 'select') values[f.key] = choice ?? f.options![0];
    else if (f.key === 'CustomData') values[f.key] = '{"team": "payments"}';
    else values[f.key] = `${f.key.toLowerCase()}-1`;
  }
  // the form reads only the fields it shows
  const shown = form.fields.filter((f) => !f.shownWhen || f.shownWhen(values));
  return Object.fromEntries(shown.map((f) => [f.key, values[f.key]]));
}

describe('console create forms', () => {
  it('has one form for every SecretType the server accepts', () => {
    const types = SECRET_FORMS.map((f) => f.type);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual(expect.arrayContaining([...SECRET_TYPES]));
    expect(SECRET_FORMS.filter((f) => !f.rotatable).map((f) => f.type)).toEqual(['Generic']);
  });

  // (the console also offers PGSQL and SQLServer, which the issue-11 branch adds to the server)
  for (const form of SECRET_FORMS.filter((f) => (SECRET_TYPES as readonly string[]).includes(f.type))) {
    const choices = form.fields.find((f) => f.kind === 'select')?.options ?? [undefined];
    for (const choice of choices) {
      it(`${form.type}${choice ? ` (${choice})` : ''} builds a value and ExtendedConfig the server accepts`, () => {
        const built = form.build(filled(form, choice));
        const result = checker.check(form.type as SecretType, built.secretValue, built.extendedConfig ?? '');
        expect(result).toEqual({ ok: true, subType: form.type === 'Generic' ? null : choice ?? 'IAMUserAccessKey' });
        if (built.extendedConfig) expect(JSON.parse(built.extendedConfig).CustomData).toEqual({ team: 'payments' });
      });
    }
  }

  it('leaves a malformed CustomData for the server to refuse', () => {
    const form = formOf('RDS')!;
    const built = form.build({ ...filled(form, 'SingleUser'), CustomData: '{"team": ' });
    expect(checker.check('RDS', built.secretValue, built.extendedConfig!)).toMatchObject({ ok: false, field: 'extendedConfig' });
  });
});
