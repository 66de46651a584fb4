/**
 * The seed document as users write it (JSON or YAML) and as `volc-secrets export` writes it back.
 * schemas/seed.json is its grammar; these types are the same thing for TypeScript callers of
 * `startServer({ seed })`.
 */
import type { SecretType } from '../domain/types';

/** A value as written: text, or a JSON object/list that is stored as its compact JSON text. */
export type SeedValue = string | Record<string, unknown> | unknown[];

export interface SeedVersionEntry {
  value?: SeedValue;
  /** base64 of a binary value (values stored through the Huawei door); instead of `value` */
  binaryValue?: string;
  /** VersionName */
  name?: string;
}

export interface SeedRotation {
  automatic: boolean;
  /** `30d`, `12h`, `90m` or `3600s`; at most 365 days */
  interval?: string;
}

export interface SeedSecretEntry {
  name: string;
  /** default Generic */
  type?: SecretType;
  /** default: the first account of the seed's `accounts`, else the server's first credential */
  accountId?: string | number;
  /** default: the server's region */
  region?: string;
  projectName?: string;
  description?: string;
  /** text, or an object that is stored as its compact JSON text */
  extendedConfig?: string | Record<string, unknown>;
  encryptionKey?: string;
  /** default Enable */
  state?: 'Enable' | 'Disable';
  managed?: boolean;
  owningService?: string;
  /** every type but Generic */
  rotation?: SeedRotation;
  /** one version; or `binaryValue`; or `versions` */
  value?: SeedValue;
  binaryValue?: string;
  /** oldest first; the last one is CURRENT */
  versions?: SeedVersionEntry[];
}

export interface SeedAccountEntry {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string | number;
}

/** An X-Auth-Token of the Huawei CSMS door and the account and region its project_id stands for. */
export interface SeedHuaweiToken {
  token: string;
  projectId: string;
  accountId: string | number;
  region: string;
}

export interface SeedDocument {
  /** credentials accepted in addition to the configured ones */
  accounts?: SeedAccountEntry[];
  secrets?: SeedSecretEntry[];
  /** fault rules; their grammar belongs to the fault-injection module */
  faults?: unknown[];
  /** tokens accepted by the Huawei door in addition to the configured ones */
  huaweiTokens?: SeedHuaweiToken[];
}
