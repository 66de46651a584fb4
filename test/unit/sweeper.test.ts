/**
 * The sweeper's robustness, below the wire: a secret whose stored value cannot be rotated (it can
 * only get there by a fault, so the test plants it through the domain) neither stops the other
 * rotations nor lets its value reach an error message.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EnvelopeCipher } from '../../src/crypto/envelope-cipher';
import { AdjustableClock } from '../../src/domain/clock';
import { SweepFailedError, UnrotatableValueError } from '../../src/domain/errors';
import { SecretsService } from '../../src/domain/secrets-service';
import { textValue, type Scope } from '../../src/domain/types';
import { openDatabase, type OpenedDatabase } from '../../src/store/sqlite/database';
import { SqliteUnitOfWork } from '../../src/store/sqlite/unit-of-work';
import { JsonSchemaShapeChecker } from '../../src/validation/secret-shapes';

const DAY_MS = 86_400_000;
const scope: Scope = { accountId: '2100000001', region: 'cn-beijing' };
const SECRET_TEXT = 'top-secret-not-json';

const iam = (name: string) => ({
  name,
  type: 'IAM' as const,
  value: textValue(JSON.stringify({ AccessKeys: [{ AccessKeyId: 'AKLTexample000000000000', AccessKeySecret: 'x' }] })),
  extendedConfig: JSON.stringify({ UserName: 'u', SecretSubType: 'IAMUserAccessKey' }),
  automaticRotation: true,
  rotationIntervalSeconds: 86_400,
});

describe('sweeper with an unrotatable secret', () => {
  let opened: OpenedDatabase;
  let clock: AdjustableClock;
  let secrets: SecretsService;
  let uow: SqliteUnitOfWork;

  beforeEach(async () => {
    opened = await openDatabase(':memory:');
    clock = new AdjustableClock();
    uow = new SqliteUnitOfWork(opened.db, opened.direct);
    secrets = new SecretsService({
      uow,
      cipher: new EnvelopeCipher(randomBytes(32)),
      clock,
      ids: { secretId: randomUUID, versionId: randomUUID },
      shapes: new JsonSchemaShapeChecker(),
    });
  });
  afterEach(() => opened.close());

  async function plantBrokenValue(name: string): Promise<string> {
    const broken = await secrets.create(scope, iam(name));
    await uow.run((repo) => secrets.steps.addVersion(repo, broken, textValue(SECRET_TEXT), null, clock.now()));
    return broken.trn;
  }

  it('rotates the healthy secrets and reports the broken one by TRN, without its value', async () => {
    const brokenTrn = await plantBrokenValue('broken');
    await secrets.create(scope, iam('healthy'));
    clock.advance(DAY_MS + 1000);

    const failure = await secrets.sweep().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SweepFailedError);
    expect((failure as SweepFailedError).secretTrns).toEqual([brokenTrn]);
    expect((failure as Error).message).not.toContain(SECRET_TEXT);

    const healthy = await secrets.describe(scope, 'healthy');
    expect(healthy.lastRotatedAt).not.toBeNull();
    expect((await secrets.listVersions(scope, 'healthy', { page: 1, size: 10 })).total).toBe(2);
    // the broken one is left as it was, and is tried again on the next sweep
    expect((await secrets.describe(scope, 'broken')).lastRotatedAt).toBeNull();
    await expect(secrets.sweep()).rejects.toBeInstanceOf(SweepFailedError);
  });

  it('a manual rotation of the broken secret fails without quoting the value', async () => {
    await plantBrokenValue('broken-manual');
    const failure = await secrets.rotate(scope, 'broken-manual').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UnrotatableValueError);
    expect((failure as Error).message).not.toContain(SECRET_TEXT);
    expect(String((failure as Error).stack)).not.toContain(SECRET_TEXT);
    expect((await secrets.listVersions(scope, 'broken-manual', { page: 1, size: 10 })).total).toBe(2);
  });

  it('gets through more failing secrets than one batch reads, and still rotates the rest', async () => {
    for (let i = 0; i < 105; i++) await plantBrokenValue(`broken-${i}`);
    await secrets.create(scope, iam('healthy-last'));
    clock.advance(DAY_MS + 1000);
    const failure = (await secrets.sweep().catch((e: unknown) => e)) as SweepFailedError;
    expect(failure.secretTrns).toHaveLength(105);
    expect((await secrets.describe(scope, 'healthy-last')).lastRotatedAt).not.toBeNull();
  });
});
