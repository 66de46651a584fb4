/**
 * The SecretShapeChecker: a typed secret's ExtendedConfig and SecretValue against the schemas in
 * schemas/secret-types. ExtendedConfig is read first, because its SecretSubType chooses the value's
 * shape (SingleUser: one account; DoubleUsers: two; ECS Password or SSHKey).
 */
import type { SecretShapeChecker, ShapeCheck } from '../domain/ports';
import type { SecretType } from '../domain/types';
import { parseJsonObject } from './json-object';
import { describeSchemaError, validatorFor } from './schemas';

export class JsonSchemaShapeChecker implements SecretShapeChecker {
  check(type: SecretType, value: string, extendedConfig: string): ShapeCheck {
    if (type === 'Generic') return { ok: true, subType: null };
    const config = parseJsonObject(extendedConfig);
    if (!config) return { ok: false, field: 'extendedConfig', reason: `must be a JSON object for ${type} secrets.` };
    const configCheck = validatorFor(`secret-types/${type}.extended`);
    if (!configCheck(config)) {
      return { ok: false, field: 'extendedConfig', reason: describeSchemaError(configCheck.errors![0], 'ExtendedConfig') };
    }
    const subType = String(config.SecretSubType);
    const parsed = parseJsonObject(value);
    if (!parsed) return { ok: false, field: 'value', reason: `must be a JSON object for ${type} secrets.` };
    const valueCheck = validatorFor(`secret-types/${type}.value#/$defs/${subType}`);
    if (!valueCheck(parsed)) {
      const detail = describeSchemaError(valueCheck.errors![0], 'SecretValue');
      return { ok: false, field: 'value', reason: `${detail} (SecretSubType ${subType})` };
    }
    return { ok: true, subType };
  }
}
