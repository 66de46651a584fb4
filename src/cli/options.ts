/**
 * Command-line options of every volc-secrets command, read by Node's own util.parseArgs (no
 * dependency, and the one-file CLI bundle stays small); this module only turns its errors into one
 * sentence with a "did you mean" for a misspelt option.
 */
import { parseArgs } from 'node:util';
import { didYouMean } from '../did-you-mean';

export class UsageError extends Error {}

/** Options that take a value, and switches (`--raw`), by their long name without the dashes. */
export interface OptionTable {
  values?: readonly string[];
  switches?: readonly string[];
}

export interface ParsedOptions {
  values: Record<string, string | undefined>;
  switches: Set<string>;
  positionals: string[];
  help: boolean;
}

type ParseArgsOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

export function parseOptions(args: readonly string[], table: OptionTable, allowPositionals = false): ParsedOptions {
  const options: ParseArgsOptions = { help: { type: 'boolean', short: 'h' } };
  for (const name of table.values ?? []) options[name] = { type: 'string' };
  for (const name of table.switches ?? []) options[name] = { type: 'boolean' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError(describeParseError(e as NodeJS.ErrnoException, args, Object.keys(options)));
  }
  const values: Record<string, string | undefined> = {};
  const switches = new Set<string>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string') values[name] = value;
    else if (value === true && name !== 'help') switches.add(name);
  }
  return { values, switches, positionals: parsed.positionals, help: parsed.values.help === true };
}

/** parseArgs's messages talk about `'--port <value>'`; ours name the option as typed. */
function describeParseError(e: NodeJS.ErrnoException, args: readonly string[], known: string[]): string {
  const quoted = /'(-{1,2}[^' ]+)/.exec(e.message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const given = quoted ?? args.find((a) => a.startsWith('-')) ?? '';
      const name = given.replace(/=.*$/, '');
      return `unknown option ${name}${didYouMean(name, known.map((k) => '--' + k))}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return quoted && /argument missing|ambiguous/.test(e.message) ? `option ${quoted} needs a value` : `option ${quoted ?? ''} takes no value`.replace('  ', ' ');
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const extra = /'([^']*)'/.exec(e.message)?.[1];
      return `unexpected argument ${extra ?? ''}`.trim();
    }
    default:
      return e.message;
  }
}
