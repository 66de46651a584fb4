/**
 * Command-line options of every volc-secrets command: `--name value` or `--name=value`, switches that
 * take no value, and `-h`/`--help`.
 */
export class UsageError extends Error {}

export interface ParsedFlags<K extends string> {
  flags: Partial<Record<K, string>>;
  /** the switches given */
  switches: Set<string>;
  help: boolean;
}

/** `names` maps each option that takes a value to its key; `switches` lists the options that take none. */
export function parseFlags<K extends string>(args: readonly string[], names: Readonly<Record<string, K>>, switches: readonly string[] = []): ParsedFlags<K> {
  const parsed: ParsedFlags<K> = { flags: {}, switches: new Set(), help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') {
      parsed.help = true;
      continue;
    }
    if (switches.includes(arg)) {
      parsed.switches.add(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const key = Object.prototype.hasOwnProperty.call(names, name) ? names[name] : undefined;
    if (!key) throw new UsageError(`unknown option ${arg}`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new UsageError(`option ${name} needs a value`);
    parsed.flags[key] = value;
  }
  return parsed;
}
