/** A plain Generic secret as the domain holds it, for tests that write through a repository directly. */
import type { Secret } from '../../src/domain/types';

export const FIXTURE_SCOPE = { accountId: '2100000001', region: 'cn-beijing' } as const;

export function secretFixture(name: string): Secret {
  return {
    id: `id-${name}`,
    ...FIXTURE_SCOPE,
    name,
    trn: `trn:kms:${FIXTURE_SCOPE.region}:${FIXTURE_SCOPE.accountId}:secrets/${name}`,
    projectName: 'default',
    type: 'Generic',
    state: 'Enable',
    stateBeforeDeletion: null,
    description: '',
    encryptionKey: '',
    extendedConfig: '',
    managed: false,
    owningService: '',
    rotationState: 'Disable',
    rotationIntervalSeconds: 0,
    lastRotatedAt: null,
    nextRotationAt: null,
    deleteAt: null,
    createdAt: 1,
    updatedAt: 1,
  };
}
