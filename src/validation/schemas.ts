/**
 * One ajv instance holding every schema in schemas/, compiled lazily (once per schema, on first use)
 * so that start-up does not pay for actions nobody calls. Schemas are imported statically so the
 * bundled binary carries them.
 */
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { DISTINCT_PROPERTY, MAX_BYTES } from './keywords';
import BackupSecret from '../../schemas/actions/BackupSecret.json';
import BatchGetSecretValue from '../../schemas/actions/BatchGetSecretValue.json';
import CancelSecretDeletion from '../../schemas/actions/CancelSecretDeletion.json';
import CreateSecret from '../../schemas/actions/CreateSecret.json';
import DescribeSecret from '../../schemas/actions/DescribeSecret.json';
import DescribeSecretVersions from '../../schemas/actions/DescribeSecretVersions.json';
import DescribeSecrets from '../../schemas/actions/DescribeSecrets.json';
import GetSecretValue from '../../schemas/actions/GetSecretValue.json';
import RestoreSecret from '../../schemas/actions/RestoreSecret.json';
import RotateSecret from '../../schemas/actions/RotateSecret.json';
import ScheduleSecretDeletion from '../../schemas/actions/ScheduleSecretDeletion.json';
import SetSecretValue from '../../schemas/actions/SetSecretValue.json';
import UpdateSecret from '../../schemas/actions/UpdateSecret.json';
import UpdateSecretRotationPolicy from '../../schemas/actions/UpdateSecretRotationPolicy.json';
import EcsExtended from '../../schemas/secret-types/ECS.extended.json';
import EcsValue from '../../schemas/secret-types/ECS.value.json';
import IamExtended from '../../schemas/secret-types/IAM.extended.json';
import IamValue from '../../schemas/secret-types/IAM.value.json';
import RdsExtended from '../../schemas/secret-types/RDS.extended.json';
import RdsValue from '../../schemas/secret-types/RDS.value.json';
import PgsqlExtended from '../../schemas/secret-types/PGSQL.extended.json';
import PgsqlValue from '../../schemas/secret-types/PGSQL.value.json';
import RedisExtended from '../../schemas/secret-types/Redis.extended.json';
import RedisValue from '../../schemas/secret-types/Redis.value.json';
import SqlServerExtended from '../../schemas/secret-types/SQLServer.extended.json';
import SqlServerValue from '../../schemas/secret-types/SQLServer.value.json';
import Seed from '../../schemas/seed.json';

export type JsonSchema = Record<string, unknown> & { $id: string };

export const ALL_SCHEMAS: readonly JsonSchema[] = [
  BackupSecret,
  BatchGetSecretValue,
  CancelSecretDeletion,
  CreateSecret,
  DescribeSecret,
  DescribeSecretVersions,
  DescribeSecrets,
  GetSecretValue,
  RestoreSecret,
  RotateSecret,
  ScheduleSecretDeletion,
  SetSecretValue,
  UpdateSecret,
  UpdateSecretRotationPolicy,
  EcsExtended,
  EcsValue,
  IamExtended,
  IamValue,
  RdsExtended,
  RdsValue,
  RedisExtended,
  RedisValue,
  PgsqlExtended,
  PgsqlValue,
  SqlServerExtended,
  SqlServerValue,
  Seed,
] as JsonSchema[];

function createAjv(): Ajv {
  // loaded on first use, not at start-up: the server answers /healthz without having needed it
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: AjvClass } = require('ajv') as typeof import('ajv');
  const ajv = new AjvClass({ allErrors: false, strict: true, allowUnionTypes: true, verbose: true });
  ajv.addKeyword(MAX_BYTES);
  ajv.addKeyword(DISTINCT_PROPERTY);
  for (const schema of ALL_SCHEMAS) ajv.addSchema(schema);
  return ajv;
}

let shared: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/** The compiled validator for a schema id such as `actions/CreateSecret` or `secret-types/RDS.value#/$defs/SingleUser`. */
export function validatorFor(ref: string): ValidateFunction {
  let fn = compiled.get(ref);
  if (!fn) {
    shared ??= createAjv();
    fn = shared.getSchema(ref);
    if (!fn) throw new Error(`no schema ${ref}`);
    compiled.set(ref, fn);
  }
  return fn;
}

export function schemaById(id: string): JsonSchema | undefined {
  return ALL_SCHEMAS.find((s) => s.$id === id);
}

/**
 * A readable sentence for the first ajv error, e.g. `Accounts must hold at most 1 item.`
 * `root` names the value when the error is about the whole of it.
 */
export function describeSchemaError(error: ErrorObject, root: string): string {
  const path = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : p))
    .join('.')
    .replace(/\.\[/g, '[');
  const where = path || root;
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${path ? path + '.' : ''}${String(p.missingProperty)} is required.`;
    case 'additionalProperties':
      return `${where} has an unknown field ${String(p.additionalProperty)}.`;
    case 'type':
      return `${where} must be ${alternatives(String(p.type).split(',').map(article))}.`;
    case 'enum':
      return `${where} must be one of: ${(p.allowedValues as unknown[]).join(', ')}.`;
    case 'minItems':
    case 'maxItems': {
      const n = Number(p.limit);
      return `${where} must hold ${error.keyword === 'minItems' ? 'at least' : 'at most'} ${n} item${n === 1 ? '' : 's'}.`;
    }
    case 'minLength':
      return Number(p.limit) === 1 ? `${where} must not be empty.` : `${where} must be at least ${String(p.limit)} characters.`;
    case 'maxLength':
      return `${where} must be at most ${String(p.limit)} characters.`;
    case 'minimum':
    case 'maximum':
      return `${where} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(p.limit)}.`;
    case 'pattern': {
      const description = (error.parentSchema as { description?: string } | undefined)?.description;
      return description ? `${where} must be ${description}.` : `${where} must match ${String(p.pattern)}.`;
    }
    case 'uniqueItems':
      return `${where} must not contain duplicates (items ${String(p.j)} and ${String(p.i)} are equal).`;
    default:
      return `${where} ${error.message ?? 'is invalid'}.`;
  }
}

/** `a`, `a or b`, `a, b or c` */
function alternatives(items: string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}` : items[0];
}

function article(type: string): string {
  const names: Record<string, string> = { string: 'a string', integer: 'an integer', boolean: 'a boolean (true or false)', object: 'a JSON object', array: 'a list', number: 'a number' };
  return names[type] ?? type;
}
