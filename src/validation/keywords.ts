/**
 * The custom ajv keywords our schema files use, defined once for every ajv instance (the
 * Volcengine schemas and the Huawei door's). Type-only import: ajv itself still loads lazily.
 */
import type { ErrorObject, KeywordDefinition } from 'ajv';

type WithErrors = { errors: Partial<ErrorObject>[] };

/** Byte limits: both clouds count values and descriptions in UTF-8 bytes, not characters. */
export const MAX_BYTES: KeywordDefinition = {
  keyword: 'maxBytes',
  type: 'string',
  schemaType: 'number',
  errors: true,
  validate: function maxBytes(limit: number, data: string) {
    const ok = Buffer.byteLength(data, 'utf8') <= limit;
    if (!ok) (maxBytes as unknown as WithErrors).errors = [{ keyword: 'maxBytes', params: { limit }, message: `must be at most ${limit} bytes` }];
    return ok;
  },
};

/** Items of an array must differ in one property (the two accounts of DoubleUsers). */
export const DISTINCT_PROPERTY: KeywordDefinition = {
  keyword: 'distinctProperty',
  type: 'array',
  schemaType: 'string',
  errors: true,
  validate: function distinctProperty(property: string, data: unknown[]) {
    const seen = new Set<unknown>();
    for (const item of data) {
      const v = item && typeof item === 'object' ? (item as Record<string, unknown>)[property] : undefined;
      if (seen.has(v)) {
        (distinctProperty as unknown as WithErrors).errors = [
          { keyword: 'distinctProperty', params: { property }, message: `items must have different ${property} values` },
        ];
        return false;
      }
      seen.add(v);
    }
    return true;
  },
};
