/**
 * `volc-secrets export`: argv → exportSeed → standard output or a file. The database and master key
 * come from the same flags, environment and .env as `serve`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseOptions, UsageError } from '../cli/options';
import { ConfigError, readSettings, resolveConfig } from '../config';
import { MasterKeyError } from '../crypto/master-key';
import { DatabaseOpenError } from '../store/database-open-error';
import { ExportError, exportSeed, formatSeed } from './export';
import { formatByExtension, type SeedFormat } from './parse';

export const EXPORT_HELP = `Usage: volc-secrets export [options]

Writes the stored secrets as a seed document (the format of serve --seed). A server may be
running on the same database: the export reads one consistent snapshot and writes nothing.

Options:
  --db PATH|URL          SQLite file or postgres:// URL to read (VOLC_SECRETS_DB, default ./data/secrets.db)
  --master-key-file F    master key (VOLC_SECRETS_MASTER_KEY_FILE, default <db>.master-key);
                         read only with --include-values
  --format json|yaml     output format (default: from the --output extension, else json)
  --output FILE          write to FILE (mode 0600) instead of standard output
  --include-values       also write every version's value; without it: metadata only
  -h, --help             show this help

Secrets pending deletion are left out (a seed cannot express that state), and so are the
accounts: credentials are configuration, not data.`;

const OPTIONS = { values: ['db', 'master-key-file', 'format', 'output'], switches: ['include-values'] };
const FORMATS: readonly string[] = ['json', 'yaml'] satisfies SeedFormat[];

/**
 * Replaces the file in one step (a reader never sees half an export); new files are private to the
 * user. The temporary file has an unpredictable name and is created exclusively (O_EXCL) with mode
 * 0600: in a shared directory another user cannot have prepared it to receive the plaintext.
 */
export function writePrivateFile(file: string, text: string): void {
  const temporary = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${randomBytes(16).toString('hex')}.tmp`);
  let created = false;
  try {
    const fd = fs.openSync(temporary, 'wx', 0o600);
    created = true;
    try {
      fs.writeFileSync(fd, text);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
  } catch (e) {
    // only ever remove a file this call created
    if (created) fs.rmSync(temporary, { force: true });
    throw new ExportError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Runs the command; returns the exit code (0 done, 1 failed, 2 bad usage). */
export async function runExportCommand(args: readonly string[]): Promise<number> {
  try {
    const { values, switches, help } = parseOptions(args, OPTIONS);
    if (help) {
      process.stdout.write(EXPORT_HELP + '\n');
      return 0;
    }
    const { db, 'master-key-file': masterKeyFile, format: formatFlag, output } = values;
    if (formatFlag !== undefined && !FORMATS.includes(formatFlag)) throw new UsageError(`--format must be json or yaml, not "${formatFlag}"`);
    const settings = readSettings();
    for (const w of settings.warnings) process.stderr.write(`volc-secrets export: warning: ${w}\n`);
    const config = resolveConfig(settings.env, { db, masterKeyFile });
    const format = (formatFlag as SeedFormat | undefined) ?? (output ? formatByExtension(output) : undefined) ?? 'json';
    const { document, skipped } = await exportSeed({ db: config.db, masterKeyFile: config.masterKeyFile, includeValues: switches.has('include-values') });
    const text = formatSeed(document, format);
    if (output) writePrivateFile(output, text);
    else process.stdout.write(text);
    if (skipped.length > 0) process.stderr.write(`volc-secrets export: left out ${skipped.length} secret(s) pending deletion: ${skipped.join(', ')}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`volc-secrets export: ${e.message} (see volc-secrets export --help)\n`);
      return 2;
    }
    if (e instanceof ExportError || e instanceof ConfigError || e instanceof MasterKeyError || e instanceof DatabaseOpenError) {
      process.stderr.write(`volc-secrets export: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`volc-secrets export: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
