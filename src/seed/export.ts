/**
 * The stored secrets → a seed document (`volc-secrets export`). Metadata by default; every version's
 * value only when asked. Read in one read-only transaction, so a server may keep running on the file.
 * Written so that seeding a fresh server from the output gives the same secrets, versions and values.
 */
import { randomUUID } from 'node:crypto';
import { EnvelopeCipher } from '../crypto/envelope-cipher';
import { defaultMasterKeyPath, masterKeyCheck, readMasterKeyFile } from '../crypto/master-key';
import { systemClock } from '../domain/clock';
import { DEFAULT_PROJECT, SecretsService } from '../domain/secrets-service';
import type { Secret, StoredVersion } from '../domain/types';
import { openReadOnlyStore, type ReadOnlyStore, type StoreView } from '../store/read-only';
import { JsonSchemaShapeChecker } from '../validation/secret-shapes';
import type { SeedDocument, SeedSecretEntry, SeedValue, SeedVersionEntry } from './document';
import type { SeedFormat } from './parse';
import { INTERVAL_UNIT_SECONDS } from './read';

export interface ExportOptions {
  db: string;
  /** default `<db>.master-key`; read only when values are included */
  masterKeyFile?: string;
  includeValues: boolean;
}

export interface ExportResult {
  document: SeedDocument;
  /** secrets left out because they are pending deletion (a seed cannot say that) */
  skipped: string[];
}

export class ExportError extends Error {}

const PAGE_SIZE = 100;

/** `<db>.master-key` beside a SQLite file; a PostgreSQL database has no "beside". */
function defaultKeyFile(store: ReadOnlyStore): string {
  if (store.location.kind === 'postgres') throw new ExportError(`values of a PostgreSQL database need its master key: give --master-key-file`);
  return defaultMasterKeyPath(store.location.file);
}

export async function exportSeed(options: ExportOptions): Promise<ExportResult> {
  const store = await openReadOnlyStore(options.db);
  let key: Buffer | null;
  try {
    key = options.includeValues ? readMasterKeyFile(options.masterKeyFile ?? defaultKeyFile(store)).key : null;
  } catch (e) {
    await store.close();
    throw e;
  }
  try {
    return await store.read(async (view) => {
      if (key && (await view.masterKeyCheck()) !== masterKeyCheck(key)) {
        throw new ExportError(`database ${store.label} was created with a different master key; give the matching --master-key-file`);
      }
      // Only openVersion is used: it is the one place that knows how a value is bound to its secret.
      const secrets = key
        ? new SecretsService({
            uow: view.uow,
            cipher: new EnvelopeCipher(key),
            clock: systemClock,
            ids: { secretId: randomUUID, versionId: randomUUID },
            shapes: new JsonSchemaShapeChecker(),
          })
        : null;
      const entries: SeedSecretEntry[] = [];
      const skipped: string[] = [];
      for (const secret of await allSecrets(view)) {
        if (secret.state === 'PendingDelete') {
          skipped.push(`${secret.name} (account ${secret.accountId}, region ${secret.region})`);
          continue;
        }
        const entry = metadataEntry(secret);
        if (secrets) {
          const stored = (await view.uow.reader.allVersions(secret.id)).reverse();
          Object.assign(entry, valueFields(stored.map((v) => versionEntry(secrets, secret, v))));
        }
        entries.push(entry);
      }
      return { document: { secrets: entries }, skipped };
    });
  } finally {
    await store.close();
  }
}

/** Every secret of every account and region, by account, region and name: the same order after a round trip, stable diffs. */
async function allSecrets(view: StoreView): Promise<Secret[]> {
  const all: Secret[] = [];
  for (const scope of await view.scopes()) {
    const inScope: Secret[] = [];
    for (let page = 1; ; page++) {
      const { items, total } = await view.uow.reader.listSecrets(scope, {}, { page, size: PAGE_SIZE });
      inScope.push(...items);
      if (items.length < PAGE_SIZE || inScope.length >= total) break;
    }
    all.push(...inScope.sort((a, b) => (a.name < b.name ? -1 : 1)));
  }
  return all;
}

/** The fields a seed entry needs to re-create the secret; defaults are left out. */
function metadataEntry(s: Secret): SeedSecretEntry {
  const entry: SeedSecretEntry = { name: s.name, type: s.type, accountId: s.accountId, region: s.region };
  if (s.projectName !== DEFAULT_PROJECT) entry.projectName = s.projectName;
  if (s.description) entry.description = s.description;
  if (s.extendedConfig) {
    const config = readableJson(s.extendedConfig);
    entry.extendedConfig = Array.isArray(config) ? s.extendedConfig : config; // the seed takes text or an object here
  }
  if (s.encryptionKey) entry.encryptionKey = s.encryptionKey;
  if (s.state === 'Disable') entry.state = 'Disable';
  if (s.managed) entry.managed = true;
  if (s.owningService) entry.owningService = s.owningService;
  if (s.rotationState === 'Enable' || (s.rotationState === 'Disable' && s.rotationIntervalSeconds > 0)) {
    entry.rotation = { automatic: s.rotationState === 'Enable' };
    if (s.rotationIntervalSeconds > 0) entry.rotation.interval = intervalText(s.rotationIntervalSeconds);
  }
  return entry;
}

function versionEntry(secrets: SecretsService, secret: Secret, stored: StoredVersion): SeedVersionEntry {
  const { value } = secrets.steps.openVersion(secret, stored);
  const entry: SeedVersionEntry = stored.name === null ? {} : { name: stored.name };
  if (value.kind === 'binary') entry.binaryValue = value.bytes.toString('base64');
  else entry.value = readableJson(value.bytes.toString('utf8'));
  return entry;
}

/** One unnamed version is written as `value` (or `binaryValue`); anything else as `versions`, oldest first. */
function valueFields(versions: SeedVersionEntry[]): Pick<SeedSecretEntry, 'value' | 'binaryValue' | 'versions'> {
  const [only] = versions;
  return versions.length === 1 && only.name === undefined ? only : { versions };
}

/**
 * Text that is compact JSON of an object or a list is written as that object (pleasant to read and
 * edit); seeding stores an object as its compact JSON, so the text comes back byte for byte. Any
 * other text stays a string.
 */
function readableJson(text: string): SeedValue {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && JSON.stringify(parsed) === text) return parsed as SeedValue;
  } catch {
    /* not JSON: plain text */
  }
  return text;
}

/** 2592000 → `30d`; the largest unit that divides the interval. */
function intervalText(seconds: number): string {
  const [unit, size] = Object.entries(INTERVAL_UNIT_SECONDS).find(([, s]) => seconds % s === 0)!;
  return `${seconds / size}${unit}`;
}

export function formatSeed(document: SeedDocument, format: SeedFormat): string {
  if (format === 'json') return JSON.stringify(document, null, 2) + '\n';
  // loaded only when exporting YAML, not at every start of the CLI
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  return YAML.stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}
