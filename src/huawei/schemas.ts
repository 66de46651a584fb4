/**
 * The Huawei door's JSON Schemas (schemas/huawei/), compiled lazily by their own ajv instance: the
 * Huawei bodies share no schema with the Volcengine Actions. Imported statically so the bundled
 * binary carries them. Error sentences come from the shared describeSchemaError.
 */
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import CreateSecret from '../../schemas/huawei/CreateSecret.json';
import RdsValue from '../../schemas/huawei/RDS.value.json';
import UploadSecretBlob from '../../schemas/huawei/UploadSecretBlob.json';
import { MAX_BYTES } from '../validation/keywords';
import { describeSchemaError } from '../validation/schemas';

export type HuaweiSchemaId = 'huawei/CreateSecret' | 'huawei/UploadSecretBlob' | 'huawei/RDS.value';

const SCHEMAS: ReadonlyArray<Record<string, unknown>> = [CreateSecret, UploadSecretBlob, RdsValue];

function createAjv(): Ajv {
  // loaded on first use, not at start-up
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: AjvClass } = require('ajv') as typeof import('ajv');
  const ajv = new AjvClass({ allErrors: false, strict: true, verbose: true });
  // CSMS counts description and secret_string limits in bytes, not characters.
  ajv.addKeyword(MAX_BYTES);
  for (const schema of SCHEMAS) ajv.addSchema(schema);
  return ajv;
}

let ajv: Ajv | undefined;
const compiled = new Map<HuaweiSchemaId, ValidateFunction>();

function validatorFor(id: HuaweiSchemaId): ValidateFunction {
  let fn = compiled.get(id);
  if (!fn) {
    ajv ??= createAjv();
    fn = ajv.getSchema(id) as ValidateFunction;
    compiled.set(id, fn);
  }
  return fn;
}

export interface SchemaFailure {
  /** the top-level parameter the problem is in ('' for the body as a whole) */
  parameter: string;
  /** a sentence, e.g. `name must be 1 to 64 characters of [a-zA-Z0-9_-].` */
  detail: string;
}

/** Null when `data` satisfies the schema, else the first problem. `root` names the value itself. */
export function checkHuaweiSchema(id: HuaweiSchemaId, data: unknown, root: string): SchemaFailure | null {
  const validate = validatorFor(id);
  if (validate(data)) return null;
  const error = validate.errors![0];
  const p = error.params as { missingProperty?: string; additionalProperty?: string };
  const parameter = error.instancePath.split('/')[1] ?? p.missingProperty ?? p.additionalProperty ?? '';
  if (error.keyword === 'additionalProperties' && !error.instancePath) return { parameter, detail: `${parameter} is not a parameter of this request.` };
  return { parameter, detail: describeSchemaError(error, root) };
}
