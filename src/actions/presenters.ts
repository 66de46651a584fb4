/**
 * Domain objects → the Volcengine wire: field names, and the cloud's units (CreationDate in
 * seconds, UpdateDate in milliseconds, RotationInterval in seconds, times as RFC 3339 at +08:00).
 */
import { representable } from '../domain/clock';
import type { Secret, SecretValue, SecretVersion } from '../domain/types';
import type { WireSecret } from './wire-secret';

export type { WireSecret } from './wire-secret';

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** `2024-08-08T09:31:35.197+08:00`, as the cloud writes times; empty when unset. */
export function beijingTime(ms: number | null): string {
  if (ms === null) return '';
  return new Date(representable(ms) + BEIJING_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

export const seconds = (ms: number): number => Math.floor(representable(ms) / 1000);


export function presentSecret(s: Secret): WireSecret {
  return {
    ID: s.id,
    Trn: s.trn,
    UID: s.accountId,
    SecretName: s.name,
    SecretType: s.type,
    SecretState: s.state,
    ProjectName: s.projectName,
    Description: s.description,
    EncryptionKey: s.encryptionKey,
    ExtendedConfig: s.extendedConfig,
    Managed: s.managed,
    OwningService: s.owningService,
    RotationState: s.rotationState,
    RotationInterval: s.rotationIntervalSeconds,
    LastRotationTime: beijingTime(s.lastRotatedAt),
    ScheduleRotationTime: beijingTime(s.nextRotationAt),
    ScheduleDeleteTime: beijingTime(s.deleteAt),
    CreationDate: seconds(s.createdAt),
    UpdateDate: representable(s.updatedAt),
  };
}

/**
 * The Volcengine API carries values as strings. A binary value (stored through the Huawei door)
 * is given as base64 text, the same encoding that door accepts.
 */
export function presentValue(v: SecretValue): string {
  return v.kind === 'binary' ? v.bytes.toString('base64') : v.bytes.toString('utf8');
}

export function presentVersion(v: SecretVersion): { VersionID: string; VersionName: string; VersionStage: string; CreationDate: number } {
  return { VersionID: v.id, VersionName: v.name ?? '', VersionStage: v.stage, CreationDate: seconds(v.createdAt) };
}

export function pageInfo(count: number, page: number, size: number, total: number) {
  return { Count: count, CurrentPage: page, PageSize: size, TotalCount: total };
}
