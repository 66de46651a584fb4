/**
 * Seed text → plain data. JSON or YAML, chosen by the file's extension (.json, .yaml, .yml) or, for
 * any other name, by the first character. Syntax errors give the line and column but never an excerpt
 * of the text: the line may hold a secret value.
 */
import { own } from '../lookup';
import fs from 'node:fs';
import path from 'node:path';
import { SeedError, seedLabel } from './errors';

export type SeedFormat = 'json' | 'yaml';

const FORMAT_BY_EXTENSION: Readonly<Record<string, SeedFormat>> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml' };

export function formatByExtension(file: string): SeedFormat | undefined {
  return own(FORMAT_BY_EXTENSION, path.extname(file).toLowerCase());
}

export function formatOf(file: string, text: string): SeedFormat {
  return formatByExtension(file) ?? (/^\s*[{[]/.test(text) ? 'json' : 'yaml');
}

/** 1-based line and column of a character offset. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split(/\r?\n/);
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/**
 * V8's JSON messages, in words of our own: V8 quotes the text around an unexpected token (and the
 * token itself), which may be part of a secret value, so none of its message is passed on.
 */
const JSON_REASONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Unexpected end of JSON input/, 'the text ends before the document is complete'],
  [/^Unterminated string/, 'a string is not closed'],
  [/^Bad control character/, 'a control character inside a string'],
  [/^Bad (?:escaped character|Unicode escape)/, 'a bad escape sequence inside a string'],
  [/^Unexpected non-whitespace character after JSON/, 'text after the end of the document'],
  [/^Expected property name/, 'a property name is expected'],
  [/^Expected ',' or '}'/, "',' or '}' is expected"],
  [/^Expected ',' or ']'/, "',' or ']' is expected"],
  [/^Expected ':'/, "':' is expected"],
  [/^Expected double-quoted property name/, 'a property name in double quotes is expected'],
];

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message);
    const reason = JSON_REASONS.find(([pattern]) => pattern.test(message))?.[1] ?? 'an unexpected character';
    throw new SeedError(`${seedLabel(file)}: not valid JSON: ${reason}${at ? ` (${position(text, Number(at[1]))})` : ''}`);
  }
}

function parseYaml(text: string, file: string): unknown {
  // loaded only when a seed file is read, not at every start
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  const document = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const error = document.errors[0];
  if (error) {
    // the library's messages may quote the document (an alias name, a key): say only what kind of error, and where
    const reason = error.code === 'MULTIPLE_DOCS' ? 'the file holds more than one YAML document' : error.code.toLowerCase().replace(/_/g, ' ');
    throw new SeedError(`${seedLabel(file)}: not valid YAML: ${reason} (${position(text, error.pos[0])})`);
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch {
    // alias expansion beyond the limit (a "billion laughs" document)
    throw new SeedError(`${seedLabel(file)}: not valid YAML: its aliases expand beyond 100 (a resource exhaustion guard)`);
  }
}

export function parseSeedText(text: string, file: string, format: SeedFormat = formatOf(file, text)): unknown {
  const withoutBom = text.replace(/^\uFEFF/, '');
  return format === 'json' ? parseJson(withoutBom, file) : parseYaml(withoutBom, file);
}

export function readSeedFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new SeedError(`${seedLabel(file)}: cannot read it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseSeedText(text, file);
}
