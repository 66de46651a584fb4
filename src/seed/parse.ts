/**
 * Seed text → plain data. JSON or YAML, chosen by the file's extension (.json, .yaml, .yml) or, for
 * any other name, by the first character. Syntax errors give the line and column but never an excerpt
 * of the text: the line may hold a secret value.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SeedError, seedLabel } from './errors';

export type SeedFormat = 'json' | 'yaml';

const FORMAT_BY_EXTENSION: Readonly<Record<string, SeedFormat>> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml' };

export function formatByExtension(file: string): SeedFormat | undefined {
  return FORMAT_BY_EXTENSION[path.extname(file).toLowerCase()];
}

export function formatOf(file: string, text: string): SeedFormat {
  return formatByExtension(file) ?? (/^\s*[{[]/.test(text) ? 'json' : 'yaml');
}

/** 1-based line and column of a character offset. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split(/\r?\n/);
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message);
    // V8 quotes the text around an unexpected token; keep only the token.
    const reason = message.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
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
    const reason = error.code === 'MULTIPLE_DOCS' ? 'the file holds more than one YAML document' : error.message.replace(/;.*$/s, '');
    throw new SeedError(`${seedLabel(file)}: not valid YAML: ${reason} (${position(text, error.pos[0])})`);
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // alias expansion beyond the limit (a "billion laughs" document)
    throw new SeedError(`${seedLabel(file)}: not valid YAML: ${(e as Error).message}`);
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
