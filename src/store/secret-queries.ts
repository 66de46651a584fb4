/**
 * The statements of the hot path (GetSecretValue, DescribeSecret, CreateSecret, SetSecretValue,
 * rotation, the sweeper), built once with kysely and compiled once per database (see
 * compiled-query.ts): each execution only fills in the values. The builder is the single source of
 * each statement; test/unit/secret-queries.test.ts shows the SQL each dialect runs, side by side.
 */
import type { Selectable } from 'kysely';
import type { VersionSelector } from '../domain/ports';
import { PrecompiledQuery, type SlotOf } from './compiled-query';
import { rowCount } from './row-count';
import type { JoinedVersionColumns } from './secret-rows';
import type { SecretVersionsTable, SecretsTable } from './tables';

// ---- the hot path's lookups ---------------------------------------------------------------------

export interface ByName {
  accountId: string;
  region: string;
  name: string;
}

export const FIND_SECRET = new PrecompiledQuery<ByName, Selectable<SecretsTable>>((db, slot) =>
  db
    .selectFrom('secrets')
    .selectAll()
    .where('account_id', '=', slot('accountId'))
    .where('region', '=', slot('region'))
    .where('name', '=', slot('name')),
);

type SelectorKind = 'byId' | 'byName' | 'byStage';
const VERSION_COLUMN: Record<SelectorKind, 'id' | 'name' | 'stage'> = { byId: 'id', byName: 'name', byStage: 'stage' };

export function selectorValue(selector: VersionSelector): { kind: SelectorKind; value: string } {
  if ('byId' in selector) return { kind: 'byId', value: selector.byId };
  if ('byName' in selector) return { kind: 'byName', value: selector.byName };
  return { kind: 'byStage', value: selector.byStage };
}

function perSelector<Q>(make: (column: 'id' | 'name' | 'stage') => Q): Record<SelectorKind, Q> {
  return { byId: make(VERSION_COLUMN.byId), byName: make(VERSION_COLUMN.byName), byStage: make(VERSION_COLUMN.byStage) };
}

export const FIND_VERSION = perSelector(
  (column) =>
    new PrecompiledQuery<{ secretId: string; value: string }, Selectable<SecretVersionsTable>>((db, slot) =>
      db.selectFrom('secret_versions').selectAll().where('secret_id', '=', slot('secretId')).where(column, '=', slot('value')),
    ),
);

/** The secret and (left-joined) the one version the selector picks: one statement for GetSecretValue. */
export const FIND_SECRET_WITH_VERSION = perSelector(
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

/** A page of DescribeSecrets filtered by nothing but the scope (and the project): the common listing. */
export interface ListPageParams {
  accountId: string;
  region: string;
  projectName: string;
  limit: number;
  offset: number;
}

function listPage(inProject: boolean) {
  return new PrecompiledQuery<ListPageParams, Selectable<SecretsTable>>((db, slot) => {
    let q = db.selectFrom('secrets').selectAll().where('account_id', '=', slot('accountId')).where('region', '=', slot('region'));
    if (inProject) q = q.where('project_name', '=', slot('projectName'));
    return q
      .orderBy('created_at', 'desc')
      .orderBy('name', 'asc')
      .limit(rowCount(slot('limit')))
      .offset(rowCount(slot('offset')));
  });
}

export const LIST_IN_SCOPE = listPage(false);
export const LIST_IN_PROJECT = listPage(true);

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

export const INSERT_SECRET = new PrecompiledQuery<SecretsTable, unknown>((db, slot) => db.insertInto('secrets').values(slotsFor(slot, SECRET_COLUMNS)));

export const UPDATE_SECRET = new PrecompiledQuery<SecretsTable, unknown>((db, slot) => {
  const { id: _id, ...rest } = SECRET_COLUMNS;
  return db
    .updateTable('secrets')
    .set(slotsFor<Omit<SecretsTable, 'id'>>(slot, rest))
    .where('id', '=', slot('id'));
});

export const INSERT_VERSION = new PrecompiledQuery<SecretVersionsTable, unknown>((db, slot) =>
  db.insertInto('secret_versions').values(slotsFor(slot, VERSION_COLUMNS)),
);

export const DEMOTE_CURRENT = new PrecompiledQuery<{ secretId: string }, unknown>((db, slot) =>
  db.updateTable('secret_versions').set({ stage: 'OLDER' }).where('secret_id', '=', slot('secretId')).where('stage', '=', 'CURRENT'),
);

export const LAST_VERSION_SEQUENCE = new PrecompiledQuery<{ secretId: string }, { max: number | null }>((db, slot) =>
  db
    .selectFrom('secret_versions')
    .select((eb) => eb.fn.max<number | null>('sequence').as('max'))
    .where('secret_id', '=', slot('secretId')),
);

export const ALL_VERSIONS = new PrecompiledQuery<{ secretId: string }, Selectable<SecretVersionsTable>>((db, slot) =>
  db.selectFrom('secret_versions').selectAll().where('secret_id', '=', slot('secretId')).orderBy('sequence', 'desc'),
);

export const SECRETS_DUE_FOR_DELETION = new PrecompiledQuery<{ now: number; limit: number }, Selectable<SecretsTable>>((db, slot) =>
  db
    .selectFrom('secrets')
    .selectAll()
    .where('delete_at', '<=', slot('now'))
    .where('state', '=', 'PendingDelete')
    .orderBy('delete_at')
    .limit(rowCount(slot('limit'))),
);

export interface CountParams {
  accountId: string;
  region: string;
  projectName: string;
}

export const COUNT_IN_SCOPE = new PrecompiledQuery<CountParams, { total: number | null }>((db, slot) =>
  db
    .selectFrom('secret_counts')
    .select((eb) => eb.fn.sum<number>('n').as('total'))
    .where('account_id', '=', slot('accountId'))
    .where('region', '=', slot('region')),
);

export const COUNT_IN_PROJECT = new PrecompiledQuery<CountParams, { total: number | null }>((db, slot) =>
  db
    .selectFrom('secret_counts')
    .select('n as total')
    .where('account_id', '=', slot('accountId'))
    .where('region', '=', slot('region'))
    .where('project_name', '=', slot('projectName')),
);

