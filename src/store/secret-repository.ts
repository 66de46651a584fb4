/**
 * The domain's SecretRepository over kysely, for both dialects. Rows become domain objects in
 * secret-rows.ts; the hot path's statements are precompiled in secret-queries.ts; the rest is
 * kysely's portable builder (LIKE on lower(), no dialect functions), so SQLite and PostgreSQL run the
 * same code. Transactions are the dialects' own (sqlite/unit-of-work.ts, postgres/unit-of-work.ts).
 */
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { SecretListFilter, SecretRepository, SecretWithStoredVersion, VersionSelector } from '../domain/ports';
import type { Page, PageRequest, Scope, Secret, StoredVersion } from '../domain/types';
import {
  ALL_VERSIONS,
  COUNT_IN_PROJECT,
  COUNT_IN_SCOPE,
  DEMOTE_CURRENT,
  FIND_SECRET,
  FIND_SECRET_WITH_VERSION,
  FIND_VERSION,
  INSERT_SECRET,
  INSERT_VERSION,
  LAST_VERSION_SEQUENCE,
  LIST_IN_PROJECT,
  LIST_IN_SCOPE,
  SECRETS_DUE_FOR_DELETION,
  UPDATE_SECRET,
  selectorValue,
} from './secret-queries';
import { rowCount } from './row-count';
import { fromSecret, joinedVersion, toSecret, toVersion } from './secret-rows';
import type { Database } from './tables';

export type Db = Kysely<Database> | Transaction<Database>;

/**
 * Text holding U+0000 is never stored (the domain refuses it, and PostgreSQL cannot keep it in text),
 * so a lookup by such a key finds nothing, and is not sent: PostgreSQL would refuse the parameter.
 */
function unmatchable(text: string): boolean {
  return text.includes('\u0000');
}

/** LIKE pattern for "contains", with the wildcard characters of the needle escaped. */
function containsPattern(needle: string): string {
  return '%' + needle.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

type SecretsExpr = ExpressionBuilder<Database, 'secrets'>;

function containsAny(eb: SecretsExpr, column: 'name' | 'trn' | 'description', needles: string[]) {
  return eb.or(needles.filter((n) => !unmatchable(n)).map((n) => sql<boolean>`lower(${eb.ref(column)}) like ${containsPattern(n)} escape '\\'`));
}

/** True when the filter narrows by nothing but the project: then the kept counts answer TotalCount. */
function onlyScopeAndProject(filter: SecretListFilter): boolean {
  const { projectName: _project, ...others } = filter;
  return Object.values(others).every((v) => v === undefined || (Array.isArray(v) && v.length === 0));
}

export class KyselySecretRepository implements SecretRepository {
  constructor(private readonly db: Db) {}

  async findSecret(scope: Scope, name: string): Promise<Secret | undefined> {
    if (unmatchable(name)) return undefined;
    const row = await FIND_SECRET.executeTakeFirst(this.db, { accountId: scope.accountId, region: scope.region, name });
    return row && toSecret(row);
  }

  async findSecretWithVersion(scope: Scope, name: string, selector: VersionSelector): Promise<SecretWithStoredVersion | undefined> {
    const { kind, value } = selectorValue(selector);
    if (unmatchable(name)) return undefined;
    if (unmatchable(value)) return this.findSecret(scope, name).then((secret) => secret && { secret, version: undefined });
    const row = await FIND_SECRET_WITH_VERSION[kind].executeTakeFirst(this.db, { accountId: scope.accountId, region: scope.region, name, value });
    return row && { secret: toSecret(row), version: joinedVersion(row, row.id) };
  }

  async findSecrets(scope: Scope, names: readonly string[]): Promise<Secret[]> {
    names = names.filter((n) => !unmatchable(n));
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
    const { projectName } = filter;
    if (onlyScopeAndProject(filter) && (projectName === undefined || !unmatchable(projectName))) {
      // the common listing: precompiled, as the hot path's lookups are
      const query = projectName === undefined ? LIST_IN_SCOPE : LIST_IN_PROJECT;
      const params = { accountId: scope.accountId, region: scope.region, projectName: projectName ?? '', limit: page.size, offset: (page.page - 1) * page.size };
      const total = await this.countByProject(scope, projectName);
      const rows = await query.execute(this.db, params);
      return { total, items: rows.map(toSecret) };
    }
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
        if (filter.owningServices?.length) {
          const services = filter.owningServices.filter((o) => !unmatchable(o));
          all.push(services.length > 0 ? eb('owning_service', 'in', services) : eb.or([]));
        }
        if (filter.createdBetween) {
          all.push(eb('created_at', '>=', filter.createdBetween[0]), eb('created_at', '<=', filter.createdBetween[1]));
        }
        if (filter.updatedBetween) {
          all.push(eb('updated_at', '>=', filter.updatedBetween[0]), eb('updated_at', '<=', filter.updatedBetween[1]));
        }
        return eb.and(all);
      });
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('name', 'asc')
      .limit(rowCount(page.size))
      .offset(rowCount((page.page - 1) * page.size))
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
    if (unmatchable(value)) return undefined;
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
      .limit(rowCount(page.size))
      .offset(rowCount((page.page - 1) * page.size))
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
      .limit(rowCount(limit))
      .execute();
    return rows.map(toSecret);
  }
}

