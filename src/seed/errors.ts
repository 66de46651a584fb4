/**
 * A refused seed. The message names the file, the entry and the field, e.g.
 * `seed file seed.yaml: secrets[3] (db-password): versions[1].value: Accounts must hold exactly 2 items.`
 * It never quotes a value or a secret key.
 */
export class SeedError extends Error {}

/** `seed file ./seed.yaml` or, for a document given in-process, `seed`. */
export function seedLabel(file: string | null): string {
  return file === null ? 'seed' : `seed file ${file}`;
}

/** `secrets[3] (db-password)`: the position, and the name when the entry has one. */
export function entryLabel(list: string, index: number, name: unknown): string {
  return typeof name === 'string' && name !== '' ? `${list}[${index}] (${name})` : `${list}[${index}]`;
}

/**
 * Joins a field and a reason: a reason that starts in lower case continues the field's sentence
 * (`extendedConfig is required for RDS secrets.`), any other stands after a colon
 * (`versions[1].value: Accounts must hold exactly 2 items.`).
 */
export function fieldProblem(field: string, reason: string): string {
  const sentence = /[.)]$/.test(reason) ? reason : `${reason}.`;
  return /^[a-z]/.test(reason) ? `${field} ${sentence}` : `${field}: ${sentence}`;
}
