/**
 * A seed document → checked, normalised entries, before any database is opened. Here: the grammar
 * (schemas/seed.json, which borrows CreateSecret's limits), unknown keys, the value forms, the wire's
 * byte limits on values and ExtendedConfig, rotation intervals, account triples. The secret rules
 * themselves (typed shapes, rotation policy, key TRNs) are the domain's, applied when loading.
 */
import { own } from '../lookup';
import type { ErrorObject } from 'ajv';
import { credentialProblem, type Credential } from '../credentials';
import { SECRET_TYPE_RULES } from '../domain/secret-types';
import { huaweiTokenProblem, type HuaweiToken } from '../huawei/tokens';
import type { SeedSecret, SeedVersion } from '../domain/seeding';
import { SECRET_TYPES, textValue, type SecretType, type SecretValue } from '../domain/types';
import { describeSchemaError, validatorFor } from '../validation/schemas';
import type { SeedAccountEntry, SeedDocument, SeedHuaweiToken, SeedSecretEntry, SeedValue, SeedVersionEntry } from './document';
import { SeedError, entryLabel, fieldProblem, seedLabel } from './errors';
import { readSeedFile } from './parse';

/** Binary values come only through the Huawei door, whose limit is 32 KiB. */
export const BINARY_VALUE_MAX_BYTES = 32_768;
export const MAX_ROTATION_INTERVAL_SECONDS = 365 * 86_400;

export const INTERVAL_UNIT_SECONDS: Readonly<Record<string, number>> = { d: 86_400, h: 3_600, m: 60, s: 1 };

const ROTATING_TYPES = SECRET_TYPES.filter((t) => SECRET_TYPE_RULES[t].rotatable);

export interface SeedEntry {
  /** `secrets[3] (db-password)` */
  label: string;
  /** where each version's value was written, e.g. `versions[1].value` or `value` */
  valueFields: string[];
  /** as written; the loader applies the defaults */
  accountId?: string;
  region?: string;
  secret: Omit<SeedSecret, 'scope'>;
}

export interface ParsedSeed {
  /** the file it was read from; null for a document given in-process */
  file: string | null;
  accounts: Credential[];
  secrets: SeedEntry[];
  /** kept as written; the fault-injection module reads them */
  faults: unknown[];
  huaweiTokens: HuaweiToken[];
}

/** The field that names an entry of each list in messages (never a secret: not the token, not the key). */
const LABEL_FIELD: Readonly<Record<string, string>> = { secrets: 'name', accounts: 'accessKeyId', huaweiTokens: 'projectId' };

/** Reads (when given a path) and checks a seed document. Throws SeedError naming file, entry and field. */
export function readSeed(input: string | SeedDocument): ParsedSeed {
  const file = typeof input === 'string' ? input : null;
  const data: unknown = typeof input === 'string' ? readSeedFile(input) : input;
  const grammar = validatorFor('seed');
  if (!grammar(data)) throw new SeedError(`${seedLabel(file)}: ${describeGrammarError(grammar.errors![0], data)}`);
  const document = data as SeedDocument;
  return {
    file,
    accounts: (document.accounts ?? []).map((a, i) => readAccount(a, entryLabel('accounts', i, a.accessKeyId), file)),
    secrets: (document.secrets ?? []).map((s, i) => readSecret(s, entryLabel('secrets', i, s.name), file)),
    faults: document.faults ?? [],
    huaweiTokens: (document.huaweiTokens ?? []).map((t, i) => readHuaweiToken(t, entryLabel('huaweiTokens', i, t.projectId), file)),
  };
}

/** The first grammar error, said relative to its entry: `secrets[2] (db): rotation.interval must be ...`. */
function describeGrammarError(error: ErrorObject, data: unknown): string {
  const [list, index, ...rest] = error.instancePath.split('/').slice(1);
  let sentence: string;
  const labelField = list === undefined ? undefined : own(LABEL_FIELD, list);
  if (labelField !== undefined && index !== undefined) {
    const item = (data as Record<string, unknown[]>)[list][Number(index)] as Record<string, unknown> | null;
    const where = entryLabel(list, Number(index), item && typeof item === 'object' ? item[labelField] : undefined);
    const relative = { ...error, instancePath: rest.map((s) => '/' + s).join('') };
    sentence = rest.length === 0 ? describeSchemaError(relative, where) : `${where}: ${describeSchemaError(relative, '')}`;
  } else {
    sentence = describeSchemaError(error, 'the document');
  }
  if (error.keyword === 'additionalProperties') {
    const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    sentence = sentence.replace(/\.$/, ` (known fields: ${known.join(', ')}).`);
  }
  return sentence;
}

function accountIdText(id: string | number, where: string, file: string | null): string {
  if (typeof id === 'number' && !Number.isSafeInteger(id)) {
    throw new SeedError(`${seedLabel(file)}: ${where}: accountId is too long for a number; write it in quotes.`);
  }
  return String(id);
}

function readAccount(entry: SeedAccountEntry, label: string, file: string | null): Credential {
  const account = { accessKeyId: entry.accessKeyId, secretAccessKey: entry.secretAccessKey, accountId: accountIdText(entry.accountId, label, file) };
  const problem = credentialProblem(account);
  if (problem) throw new SeedError(`${seedLabel(file)}: ${label}: ${problem}.`);
  return account;
}

function readHuaweiToken(entry: SeedHuaweiToken, label: string, file: string | null): HuaweiToken {
  const token = { token: entry.token, projectId: entry.projectId, accountId: accountIdText(entry.accountId, label, file), region: entry.region };
  const problem = huaweiTokenProblem(token);
  if (problem) throw new SeedError(`${seedLabel(file)}: ${label}: ${problem}.`);
  return token;
}

function readSecret(entry: SeedSecretEntry, label: string, file: string | null): SeedEntry {
  const refuse = (field: string, reason: string) => new SeedError(`${seedLabel(file)}: ${label}: ${fieldProblem(field, reason)}`);
  const type: SecretType = entry.type ?? 'Generic';
  const forms = (['value', 'binaryValue', 'versions'] as const).filter((k) => entry[k] !== undefined);
  if (forms.length === 0) throw new SeedError(`${seedLabel(file)}: ${label} needs value, binaryValue or versions.`);
  if (forms.length > 1) throw new SeedError(`${seedLabel(file)}: ${label}: give only one of ${forms.join(' and ')}.`);

  const written: Array<{ version: SeedVersionEntry; prefix: string }> = entry.versions
    ? entry.versions.map((version, v) => ({ version, prefix: `versions[${v}].` }))
    : [{ version: { value: entry.value, binaryValue: entry.binaryValue }, prefix: '' }];
  const valueFields: string[] = [];
  const versions = written.map(({ version, prefix }): SeedVersion => {
    if ((version.value === undefined) === (version.binaryValue === undefined)) {
      throw refuse(prefix.slice(0, -1), 'needs exactly one of value and binaryValue');
    }
    const field = prefix + (version.value !== undefined ? 'value' : 'binaryValue');
    valueFields.push(field);
    const value = version.value !== undefined ? readTextValue(version.value, field, refuse) : readBinaryValue(version.binaryValue!, field, refuse);
    return version.name === undefined ? { value } : { value, name: version.name };
  });

  let extendedConfig: string | undefined;
  if (entry.extendedConfig !== undefined) {
    extendedConfig = typeof entry.extendedConfig === 'string' ? entry.extendedConfig : JSON.stringify(entry.extendedConfig);
    checkWireLimit('ExtendedConfig', extendedConfig, 'extendedConfig', refuse);
  }

  let rotation: Pick<SeedSecret, 'automaticRotation' | 'rotationIntervalSeconds'> = {};
  if (entry.rotation) {
    if (!SECRET_TYPE_RULES[type].rotatable) throw refuse('rotation', `${type} secrets do not rotate (only ${ROTATING_TYPES.join(', ')} do)`);
    rotation = { automaticRotation: entry.rotation.automatic };
    if (entry.rotation.interval !== undefined) {
      const text = entry.rotation.interval;
      const seconds = Number(text.slice(0, -1)) * (own(INTERVAL_UNIT_SECONDS, text.slice(-1)) ?? NaN);
      if (seconds > MAX_ROTATION_INTERVAL_SECONDS) throw refuse('rotation.interval', 'must be at most 365 days');
      rotation.rotationIntervalSeconds = seconds;
    }
  }

  return {
    label,
    valueFields,
    accountId: entry.accountId === undefined ? undefined : accountIdText(entry.accountId, label, file),
    region: entry.region,
    secret: {
      name: entry.name,
      type,
      projectName: entry.projectName,
      description: entry.description,
      encryptionKey: entry.encryptionKey,
      extendedConfig,
      state: entry.state,
      managed: entry.managed,
      owningService: entry.owningService,
      ...rotation,
      versions,
    },
  };
}

type Refuse = (field: string, reason: string) => SeedError;

/** The wire's own limit on a parameter (CreateSecret's schema), applied to the seed's field. */
function checkWireLimit(parameter: 'SecretValue' | 'ExtendedConfig', text: string, field: string, refuse: Refuse): void {
  const check = validatorFor(`actions/CreateSecret#/properties/${parameter}`);
  if (!check(text)) throw refuse(field, describeSchemaError(check.errors![0], '').trim());
}

function readTextValue(value: SeedValue, field: string, refuse: Refuse): SecretValue {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  checkWireLimit('SecretValue', text, field, refuse);
  return textValue(text);
}

function readBinaryValue(base64: string, field: string, refuse: Refuse): SecretValue {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.toString('base64') !== base64) throw refuse(field, 'is not canonical base64 text');
  if (bytes.length > BINARY_VALUE_MAX_BYTES) throw refuse(field, `must be at most ${BINARY_VALUE_MAX_BYTES} bytes`);
  return { kind: 'binary', bytes };
}
