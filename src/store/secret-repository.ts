/**
 * The domain's SecretRepository over kysely. Rows are translated to domain objects here and nowhere
 * else; the SQL is kysely's portable builder (LIKE on lower(), ||-free, no SQLite functions).
 */
import { sql, type ExpressionBuilder, type Kysely, type Selectable, type Transaction } from 'kysely';
import { StoreBusyError } from '../domain/errors';
import type { SecretListFilter, SecretRepository, SecretWithStoredVersion, UnitOfWork, VersionSelector } from '../domain/ports';
import type {
  Page,
  PageRequest,
  RotationState,
  Scope,
  Secret,
  SecretState,
  SecretType,
  StoredVersion,
  ValueKind,
  VersionStage,
} from '../domain/types';
import { PrecompiledQuery, type SlotOf } from './compiled-query';
import type { Database, SecretVersionsTable, SecretsTable } from './tables';

type Db = Kysely<Database> | Transaction<Database>;

function toSecret(row: Selectable<SecretsTable>): Secret {
  return {
    id: row.id,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    trn: row.trn,
    projectName: row.project_name,
    type: row.type as SecretType,
    state: row.state as SecretState,
    stateBeforeDeletion: row.state_before_deletion as SecretState | null,
    description: row.description,
    encryptionKey: row.encryption_key,
    extendedConfig: row.extended_config,
    managed: row.managed === 1,
    owningService: row.owning_service,
    rotationState: row.rotation_state as RotationState,
    rotationIntervalSeconds: row.rotation_interval_s,
    lastRotatedAt: row.last_rotated_at,
    nextRotationAt: row.next_rotation_at,
    deleteAt: row.delete_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function fromSecret(s: Secret): SecretsTable {
  return {
    id: s.id,
    account_id: s.accountId,
    region: s.region,
    name: s.name,
    trn: s.trn,
    project_name: s.projectName,
    type: s.type,
    state: s.state,
    state_before_deletion: s.stateBeforeDeletion,
    description: s.description,
    encryption_key: s.encryptionKey,
    extended_config: s.extendedConfig,
    managed: s.managed ? 1 : 0,
    owning_service: s.owningService,
    rotation_state: s.rotationState,
    rotation_interval_s: s.rotationIntervalSeconds,
    last_rotated_at: s.lastRotatedAt,
    next_rotation_at: s.nextRotationAt,
    delete_at: s.deleteAt,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

function toVersion(row: Selectable<SecretVersionsTable>): StoredVersion {
  return {
    secretId: row.secret_id,
    id: row.id,
    name: row.name,
    stage: row.stage as VersionStage,
    sequence: row.sequence,
    createdAt: row.created_at,
    kind: row.kind as ValueKind,
    sealed: { wrappedKey: row.wrapped_key, iv: row.iv, ciphertext: row.ciphertext },
  };
}

/** LIKE pattern for "contains", with the wildcard characters of the needle escaped. */
function containsPattern(needle: string): string {
  return '%' + needle.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

type SecretsExpr = ExpressionBuilder<Database, 'secrets'>;

function containsAny(eb: SecretsExpr, column: 'name' | 'trn' | 'description', needles: string[]) {
  return eb.or(needles.map((n) => sql<boolean>`lower(${eb.ref(column)}) like ${containsPattern(n)} escape '\\'`));
}

// ---- the hot path's lookups, compiled once (see compiled-query.ts) ------------------------------

interface ByName {
  accountId: string;
  region: string;
  name: string;
}

const FIND_SECRET = new PrecompiledQuery<ByName, Selectable<SecretsTable>>((db, slot) =>
  db
    .selectFrom('secrets')
    .selectAll()
    .where('account_id', '=', slot('accountId'))
    .where('region', '=', slot('region'))
    .where('name', '=', slot('name')),
);

type SelectorKind = 'byId' | 'byName' | 'byStage';
const VERSION_COLUMN: Record<SelectorKind, 'id' | 'name' | 'stage'> = { byId: 'id', byName: 'name', byStage: 'stage' };

function selectorValue(selector: VersionSelector): { kind: SelectorKind; value: string } {
  if ('byId' in selector) return { kind: 'byId', value: selector.byId };
  if ('byName' in selector) return { kind: 'byName', value: selector.byName };
  return { kind: 'byStage', value: selector.byStage };
}

function perSelector<Q>(make: (column: 'id' | 'name' | 'stage') => Q): Record<SelectorKind, Q> {
  return { byId: make(VERSION_COLUMN.byId), byName: make(VERSION_COLUMN.byName), byStage: make(VERSION_COLUMN.byStage) };
}

const FIND_VERSION = perSelector(
  (column) =>
    new PrecompiledQuery<{ secretId: string; value: string }, Selectable<SecretVersionsTable>>((db, slot) =>
      db.selectFrom('secret_versions').selectAll().where('secret_id', '=', slot('secretId')).where(column, '=', slot('value')),
    ),
);

/** The secret and (left-joined) the one version the selector picks: one statement for GetSecretValue. */
const FIND_SECRET_WITH_VERSION = perSelector(
  (column) =>
    new PrecompiledQuery<ByName & { value: string }, Selectable<SecretsTable> & JoinedVersionColumns>((db, slot) =>
      db
        .selectFrom('secrets')
        .leftJoin('secret_versions as v', (join) => join.onRef('v.secret_id', '=', 'secrets.id').on(`v.${column}`, '=', slot('value')))
        .selectAll('secrets')
        .select([
          'v.id as v_id',
          'v.name as v_name',
          'v.stage as v_stage',
          'v.sequence as v_sequence',
          'v.created_at as v_created_at',
          'v.kind as v_kind',
          'v.wrapped_key as v_wrapped_key',
          'v.iv as v_iv',
          'v.ciphertext as v_ciphertext',
        ])
        .where('secrets.account_id', '=', slot('accountId'))
        .where('secrets.region', '=', slot('region'))
        .where('secrets.name', '=', slot('name')),
    ),
);

/** The version's columns as the left join gives them (all null when no version matched). */
interface JoinedVersionColumns {
  v_id: string | null;
  v_name: string | null;
  v_stage: string | null;
  v_sequence: number | null;
  v_created_at: number | null;
  v_kind: string | null;
  v_wrapped_key: Buffer | null;
  v_iv: Buffer | null;
  v_ciphertext: Buffer | null;
}

function joinedVersion(row: JoinedVersionColumns, secretId: string): StoredVersion | undefined {
  if (row.v_id === null) return undefined;
  return toVersion({
    secret_id: secretId,
    id: row.v_id,
    name: row.v_name,
    stage: row.v_stage as string,
    sequence: row.v_sequence as number,
    created_at: row.v_created_at as number,
    kind: row.v_kind as string,
    wrapped_key: row.v_wrapped_key as Buffer,
    iv: row.v_iv as Buffer,
    ciphertext: row.v_ciphertext as Buffer,
  });
}

// ---- the write path of CreateSecret / SetSecretValue / rotation, compiled once too ---------------

/** Every column of a row, each standing for the value of the same name (complete by type). */
function slotsFor<Row extends object>(slot: SlotOf<Row>, columns: Readonly<Record<keyof Row, true>>): Row {
  const row: Partial<Row> = {};
  for (const column of Object.keys(columns) as Array<keyof Row>) row[column] = slot(column);
  return row as Row;
}

const SECRET_COLUMNS: Readonly<Record<keyof SecretsTable, true>> = {
  id: true,
  account_id: true,
  region: true,
  name: true,
  trn: true,
  project_name: true,
  type: true,
  state: true,
  state_before_deletion: true,
  description: true,
  encryption_key: true,
  extended_config: true,
  managed: true,
  owning_service: true,
  rotation_state: true,
  rotation_interval_s: true,
  last_rotated_at: true,
  next_rotation_at: true,
  delete_at: true,
  created_at: true,
  updated_at: true,
};

const VERSION_COLUMNS: Readonly<Record<keyof SecretVersionsTable, true>> = {
  secret_id: true,
  id: true,
  name: true,
  stage: true,
  sequence: true,
  created_at: true,
  kind: true,
  wrapped_key: true,
  iv: true,
  ciphertext: true,
};

const INSERT_SECRET = new PrecompiledQuery<SecretsTable, unknown>((db, slot) => db.insertInto('secrets').values(slotsFor(slot, SECRET_COLUMNS)));

const UPDATE_SECRET = new PrecompiledQuery<SecretsTable, unknown>((db, slot) => {
  const { id: _id, ...rest } = SECRET_COLUMNS;
  return db
    .updateTable('secrets')
    .set(slotsFor<Omit<SecretsTable, 'id'>>(slot, rest))
    .where('id', '=', slot('id'));
});

const INSERT_VERSION = new PrecompiledQuery<SecretVersionsTable, unknown>((db, slot) =>
  db.insertInto('secret_versions').values(slotsFor(slot, VERSION_COLUMNS)),
);

const DEMOTE_CURRENT = new PrecompiledQuery<{ secretId: string }, unknown>((db, slot) =>
  db.updateTable('secret_versions').set({ stage: 'OLDER' }).where('secret_id', '=', slot('secretId')).where('stage', '=', 'CURRENT'),
);

const LAST_VERSION_SEQUENCE = new PrecompiledQuery<{ secretId: string }, { max: number | null }>((db, slot) =>
  db
    .selectFrom('secret_versions')
    .select((eb) => eb.fn.max<number | null>('sequence').as('max'))
    .where('secret_id', '=', slot('secretId')),
);

const ALL_VERSIONS = new PrecompiledQuery<{ secretId: string }, Selectable<SecretVersionsTable>>((db, slot) =>
  db.selectFrom('secret_versions').selectAll().where('secret_id', '=', slot('secretId')).orderBy('sequence', 'desc'),
);

const SECRETS_DUE_FOR_DELETION = new PrecompiledQuery<{ now: number; limit: number }, Selectable<SecretsTable>>((db, slot) =>
  db
    .selectFrom('secrets')
    .selectAll()
    .where('delete_at', '<=', slot('now'))
    .where('state', '=', 'PendingDelete')
    .orderBy('delete_at')
    .limit(slot('limit')),
);

interface CountParams {
  accountId: string;
  region: string;
  projectName: string;
}

const COUNT_IN_SCOPE = new PrecompiledQuery<CountParams, { total: number | null }>((db, slot) =>
  db
    .selectFrom('secret_counts')
    .select((eb) => eb.fn.sum<number>('n').as('total'))
    .where('account_id', '=', slot('accountId'))
    .where('region', '=', slot('region')),
);

const COUNT_IN_PROJECT = new PrecompiledQuery<CountParams, { total: number | null }>((db, slot) =>
  db
    .selectFrom('secret_counts')
    .select('n as total')
    .where('account_id', '=', slot('accountId'))
    .where('region', '=', slot('region'))
    .where('project_name', '=', slot('projectName')),
);

/** True when the filter narrows by nothing but the project: then the kept counts answer TotalCount. */
function onlyScopeAndProject(filter: SecretListFilter): boolean {
  const { projectName: _project, ...others } = filter;
  return Object.values(others).every((v) => v === undefined || (Array.isArray(v) && v.length === 0));
}

export class KyselySecretRepository implements SecretRepository {
  constructor(private readonly db: Db) {}

  async findSecret(scope: Scope, name: string): Promise<Secret | undefined> {
    const row = await FIND_SECRET.executeTakeFirst(this.db, { accountId: scope.accountId, region: scope.region, name });
    return row && toSecret(row);
  }

  async findSecretWithVersion(scope: Scope, name: string, selector: VersionSelector): Promise<SecretWithStoredVersion | undefined> {
    const { kind, value } = selectorValue(selector);
    const row = await FIND_SECRET_WITH_VERSION[kind].executeTakeFirst(this.db, { accountId: scope.accountId, region: scope.region, name, value });
    return row && { secret: toSecret(row), version: joinedVersion(row, row.id) };
  }

  async findSecrets(scope: Scope, names: readonly string[]): Promise<Secret[]> {
    if (names.length === 0) return [];
    const rows = await this.db
      .selectFrom('secrets')
      .selectAll()
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('name', 'in', [...names])
      .execute();
    return rows.map(toSecret);
  }

  async listSecrets(scope: Scope, filter: SecretListFilter, page: PageRequest): Promise<Page<Secret>> {
    const base = this.db
      .selectFrom('secrets')
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where((eb) => {
        const all = [];
        if (filter.projectName !== undefined) all.push(eb('project_name', '=', filter.projectName));
        if (filter.nameContains?.length) all.push(containsAny(eb, 'name', filter.nameContains));
        if (filter.trnContains?.length) all.push(containsAny(eb, 'trn', filter.trnContains));
        if (filter.descriptionContains?.length) all.push(containsAny(eb, 'description', filter.descriptionContains));
        if (filter.types?.length) all.push(eb('type', 'in', filter.types));
        if (filter.states?.length) all.push(eb('state', 'in', filter.states));
        if (filter.rotationStates?.length) all.push(eb('rotation_state', 'in', filter.rotationStates));
        if (filter.managed?.length) all.push(eb('managed', 'in', filter.managed.map((m) => (m ? 1 : 0))));
        if (filter.owningServices?.length) all.push(eb('owning_service', 'in', filter.owningServices));
        if (filter.createdBetween) {
          all.push(eb('created_at', '>=', filter.createdBetween[0]), eb('created_at', '<=', filter.createdBetween[1]));
        }
        if (filter.updatedBetween) {
          all.push(eb('updated_at', '>=', filter.updatedBetween[0]), eb('updated_at', '<=', filter.updatedBetween[1]));
        }
        return eb.and(all);
      });
    const total = onlyScopeAndProject(filter)
      ? await this.countByProject(scope, filter.projectName)
      : (await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()).total;
    const rows = await base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('name', 'asc')
      .limit(page.size)
      .offset((page.page - 1) * page.size)
      .execute();
    return { total: Number(total), items: rows.map(toSecret) };
  }

  /** The kept count (see secret_counts): no scan of the scope's rows. */
  private async countByProject(scope: Scope, projectName: string | undefined): Promise<number> {
    const query = projectName === undefined ? COUNT_IN_SCOPE : COUNT_IN_PROJECT;
    const row = await query.executeTakeFirst(this.db, { accountId: scope.accountId, region: scope.region, projectName: projectName ?? '' });
    return Number(row?.total ?? 0);
  }

  async insertSecret(secret: Secret): Promise<void> {
    await INSERT_SECRET.execute(this.db, fromSecret(secret));
  }

  async updateSecret(secret: Secret): Promise<void> {
    await UPDATE_SECRET.execute(this.db, fromSecret(secret));
  }

  async deleteSecret(secretId: string): Promise<void> {
    // versions go with it (ON DELETE CASCADE), in the same statement
    await this.db.deleteFrom('secrets').where('id', '=', secretId).execute();
  }

  async secretIdInUse(secretId: string): Promise<boolean> {
    const row = await this.db.selectFrom('secrets').select('id').where('id', '=', secretId).executeTakeFirst();
    return row !== undefined;
  }

  async findVersion(secretId: string, selector: VersionSelector): Promise<StoredVersion | undefined> {
    const { kind, value } = selectorValue(selector);
    const row = await FIND_VERSION[kind].executeTakeFirst(this.db, { secretId, value });
    return row && toVersion(row);
  }

  async findCurrentVersions(secretIds: readonly string[]): Promise<Map<string, StoredVersion>> {
    if (secretIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('secret_versions')
      .selectAll()
      .where('secret_id', 'in', [...secretIds])
      .where('stage', '=', 'CURRENT')
      .execute();
    return new Map(rows.map((r) => [r.secret_id, toVersion(r)]));
  }

  async listVersions(secretId: string, page: PageRequest): Promise<Page<StoredVersion>> {
    const [{ total }] = await this.db
      .selectFrom('secret_versions')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where('secret_id', '=', secretId)
      .execute();
    const rows = await this.db
      .selectFrom('secret_versions')
      .selectAll()
      .where('secret_id', '=', secretId)
      .orderBy('sequence', 'desc')
      .limit(page.size)
      .offset((page.page - 1) * page.size)
      .execute();
    return { total: Number(total), items: rows.map(toVersion) };
  }

  async allVersions(secretId: string): Promise<StoredVersion[]> {
    const rows = await ALL_VERSIONS.execute(this.db, { secretId });
    return rows.map(toVersion);
  }

  async insertVersion(v: StoredVersion): Promise<void> {
    await INSERT_VERSION.execute(this.db, {
      secret_id: v.secretId,
      id: v.id,
      name: v.name,
      stage: v.stage,
      sequence: v.sequence,
      created_at: v.createdAt,
      kind: v.kind,
      wrapped_key: v.sealed.wrappedKey,
      iv: v.sealed.iv,
      ciphertext: v.sealed.ciphertext,
    });
  }

  async demoteCurrent(secretId: string): Promise<void> {
    await DEMOTE_CURRENT.execute(this.db, { secretId });
  }

  async deleteVersions(secretId: string, versionIds: readonly string[]): Promise<void> {
    if (versionIds.length === 0) return;
    await this.db.deleteFrom('secret_versions').where('secret_id', '=', secretId).where('id', 'in', [...versionIds]).execute();
  }

  async nextVersionSequence(secretId: string): Promise<number> {
    const row = await LAST_VERSION_SEQUENCE.executeTakeFirst(this.db, { secretId });
    return (row?.max ?? 0) + 1;
  }

  async secretsDueForDeletion(now: number, limit: number): Promise<Secret[]> {
    const rows = await SECRETS_DUE_FOR_DELETION.execute(this.db, { now, limit });
    return rows.map(toSecret);
  }

  async secretsDueForRotation(now: number, limit: number): Promise<Secret[]> {
    const rows = await this.db
      .selectFrom('secrets')
      .selectAll()
      .where('next_rotation_at', '<=', now)
      .where('rotation_state', '=', 'Enable')
      .where('state', '=', 'Enable')
      .orderBy('next_rotation_at')
      .limit(limit)
      .execute();
    return rows.map(toSecret);
  }
}

/**
 * Transactions over one kysely instance. SQLite has one writer; kysely serialises on its connection.
 * Each unit of work takes the write lock when it begins (BEGIN IMMEDIATE), not at its first write:
 * a deferred transaction that reads and then writes fails at once with SQLITE_BUSY (no busy_timeout
 * wait) when another connection to the file (a tool, a second process) committed in between.
 */
export class KyselyUnitOfWork implements UnitOfWork {
  readonly reader: SecretRepository;

  constructor(private readonly db: Kysely<Database>) {
    this.reader = new KyselySecretRepository(db);
  }

  run<T>(work: (repo: SecretRepository) => Promise<T>): Promise<T> {
    return this.db.connection().execute(async (conn) => {
      try {
        await sql`begin immediate`.execute(conn);
      } catch (e) {
        // still locked by another connection after busy_timeout: a retryable refusal, not an internal error
        if ((e as { code?: unknown }).code === 'SQLITE_BUSY') throw new StoreBusyError();
        throw e;
      }
      let result: T;
      try {
        result = await work(new KyselySecretRepository(conn));
        await sql`commit`.execute(conn);
      } catch (e) {
        // a failed statement may already have ended the transaction; the first error is the one to report
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw e;
      }
      return result;
    });
  }
}
