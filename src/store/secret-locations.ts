/**
 * Where secrets are, across regions: what the region-mismatch hint and the ready line need. Reads
 * only; not part of the domain's ports, because nothing in the API crosses a region.
 */
import type { Kysely } from 'kysely';
import type { RegionCount } from './region-count';
import type { Database } from './tables';

export type { RegionCount };

export class SecretLocations {
  constructor(private readonly db: Kysely<Database>) {}

  /** the regions in which this account holds a secret of this name */
  async regionsHolding(accountId: string, name: string): Promise<string[]> {
    const rows = await this.db.selectFrom('secrets').select('region').where('account_id', '=', accountId).where('name', '=', name).orderBy('region').execute();
    return rows.map((r) => r.region);
  }

  /** secrets per region, every account together, busiest first (from the trigger-kept counts) */
  async countsByRegion(): Promise<RegionCount[]> {
    const rows = await this.db
      .selectFrom('secret_counts')
      .select((eb) => ['region', eb.fn.sum<number>('n').as('secrets')])
      .groupBy('region')
      .execute();
    return rows
      .map((r) => ({ region: r.region, secrets: Number(r.secrets) }))
      .filter((r) => r.secrets > 0)
      .sort((a, b) => b.secrets - a.secrets || a.region.localeCompare(b.region));
  }
}
