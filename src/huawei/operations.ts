/**
 * The operations of the Huawei door, as a table: route, and a thin handler (wire → domain call →
 * presenter). The seed pages' CreateSecret and UploadSecretBlob, plus what a round trip needs:
 * ShowSecret, ShowSecretVersion (the value), DownloadSecretBlob and DeleteSecret.
 */
import type { SecretBackups } from '../domain/backups';
import type { SecretsService } from '../domain/secrets-service';
import type { Secret, VersionWithValue } from '../domain/types';
import type { HuaweiCaller } from './authenticate';
import { createSecretInput, schemaError } from './create-secret-request';
import { invalidHuaweiParameter } from './error-catalogue';
import { HUAWEI_STAGE_NAME, LATEST_VERSION } from './mapping';
import { presentHuaweiSecret, presentHuaweiVersion } from './presenters';
import { checkHuaweiSchema } from './schemas';
import { decodeSecretBlob, encodeSecretBlob } from './secret-blob';

export interface HuaweiServices {
  secrets: SecretsService;
  backups: SecretBackups;
}

export interface HuaweiCall {
  caller: HuaweiCaller;
  /** route parameters (decoded) */
  params: Readonly<Record<string, string>>;
  /** the parsed JSON body, for operations that take one */
  body: unknown;
  services: HuaweiServices;
}

export interface HuaweiResult {
  status: number;
  body?: object;
}

export interface HuaweiOperation {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** express path below /v1 */
  path: string;
  takesBody: boolean;
  handle(call: HuaweiCall): Promise<HuaweiResult>;
}

const SECRET_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const VERSION_ID = /^[A-Za-z0-9_.-]{1,64}$/;

function secretName(call: HuaweiCall): string {
  const name = call.params.secret_name;
  if (!SECRET_NAME.test(name)) throw invalidHuaweiParameter('secret_name', 'secret_name must be 1 to 64 characters of [a-zA-Z0-9_-].');
  return name;
}

/** SYSCURRENT for the CURRENT version, SYSPREVIOUS for the newest OLDER one only, as CSMS keeps it. */
async function stagesOf(call: HuaweiCall, secret: Secret, version: VersionWithValue): Promise<string[]> {
  if (version.stage === 'CURRENT') return [HUAWEI_STAGE_NAME.CURRENT];
  const newest = await call.services.secrets.listVersions(call.caller.scope, secret.name, { page: 1, size: 2 });
  const previous = newest.items.find((v) => v.stage === 'OLDER');
  return previous?.id === version.id ? [HUAWEI_STAGE_NAME.OLDER] : [];
}

const createSecret: HuaweiOperation = {
  name: 'CreateSecret',
  method: 'POST',
  path: '/:project_id/secrets',
  takesBody: true,
  async handle(call) {
    const secret = await call.services.secrets.create(call.caller.scope, createSecretInput(call.body, call.caller.scope));
    return { status: 200, body: { secret: presentHuaweiSecret(secret) } };
  },
};

const uploadSecretBlob: HuaweiOperation = {
  name: 'UploadSecretBlob',
  method: 'POST',
  path: '/:project_id/secrets/restore',
  takesBody: true,
  async handle(call) {
    const failure = checkHuaweiSchema('huawei/UploadSecretBlob', call.body, 'body');
    if (failure) throw schemaError(failure);
    const backup = decodeSecretBlob((call.body as { secret_blob: string }).secret_blob);
    if (typeof backup === 'string') throw invalidHuaweiParameter('secret_blob', backup);
    const secret = await call.services.backups.restore(call.caller.scope, backup);
    // Metadata only, never the value (seed page: 此接口返回的信息为凭据的元数据信息，不包含凭据值).
    return { status: 200, body: { secret: presentHuaweiSecret(secret) } };
  },
};

const showSecret: HuaweiOperation = {
  name: 'ShowSecret',
  method: 'GET',
  path: '/:project_id/secrets/:secret_name',
  takesBody: false,
  async handle(call) {
    const secret = await call.services.secrets.describe(call.caller.scope, secretName(call));
    return { status: 200, body: { secret: presentHuaweiSecret(secret) } };
  },
};

const downloadSecretBlob: HuaweiOperation = {
  name: 'DownloadSecretBlob',
  method: 'GET',
  path: '/:project_id/secrets/:secret_name/backup',
  takesBody: false,
  async handle(call) {
    const backup = await call.services.backups.backup(call.caller.scope, secretName(call));
    return { status: 200, body: { secret_blob: encodeSecretBlob(backup) } };
  },
};

const showSecretVersion: HuaweiOperation = {
  name: 'ShowSecretVersion',
  method: 'GET',
  path: '/:project_id/secrets/:secret_name/versions/:version_id',
  takesBody: false,
  async handle(call) {
    const name = secretName(call);
    const versionId = call.params.version_id;
    if (!VERSION_ID.test(versionId)) throw invalidHuaweiParameter('version_id', `version_id must be a version id or ${LATEST_VERSION}.`);
    const query = versionId === LATEST_VERSION ? {} : { versionId };
    const { secret, version } = await call.services.secrets.getValue(call.caller.scope, name, query);
    return { status: 200, body: { version: presentHuaweiVersion(secret, version, await stagesOf(call, secret, version)) } };
  },
};

/** CSMS DeleteSecret: immediate and final (the deletion window is DeleteSecretForSchedule, not offered here). */
const deleteSecret: HuaweiOperation = {
  name: 'DeleteSecret',
  method: 'DELETE',
  path: '/:project_id/secrets/:secret_name',
  takesBody: false,
  async handle(call) {
    await call.services.secrets.scheduleDeletion(call.caller.scope, secretName(call), { force: true });
    return { status: 204 };
  },
};

export const HUAWEI_OPERATIONS: readonly HuaweiOperation[] = [
  createSecret,
  uploadSecretBlob,
  showSecret,
  downloadSecretBlob,
  showSecretVersion,
  deleteSecret,
];
