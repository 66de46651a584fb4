/**
 * A refused seed. The message names the file, the entry and the field, e.g.
 * `seed file seed.yaml: secrets[3] (db-password): versions[1].value: Accounts must hold exactly 2 items.`
 * It never quotes a value or a secret key.
 */
export class SeedError extends Error {
  constructor(message: string) {
    // every message may carry text from the seed (names, keys): printed, it must stay on its line
    super(printable(message));
  }
}

/** Characters that could move the cursor, end the line or reorder what a terminal shows. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with control, line-breaking and bidi characters written as \uXXXX escapes. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** A name from a seed, for a message: escaped, and cut after 64 characters. */
function quotedName(name: string): string {
  const shown = printable(name);
  return shown.length > 64 ? `${shown.slice(0, 64)}...` : shown;
}

/** `seed file ./seed.yaml` or, for a document given in-process, `seed`. */
export function seedLabel(file: string | null): string {
  return file === null ? 'seed' : `seed file ${file}`;
}

/** `secrets[3] (db-password)`: the position, and the name when the entry has one. */
export function entryLabel(list: string, index: number, name: unknown): string {
  return typeof name === 'string' && name !== '' ? `${list}[${index}] (${quotedName(name)})` : `${list}[${index}]`;
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
