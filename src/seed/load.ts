/**
 * A checked seed → the store: its accounts join the accepted credentials, its secrets are written
 * through the domain's SecretSeeder in one transaction (all or nothing). A name already held in its
 * account and region keeps the stored secret, so restarting with the same seed file works.
 */
import type { Credential } from '../credentials';
import { type DomainError, type DomainField, InvalidInputError, VersionNameConflictError } from '../domain/errors';
import { DuplicateSeedEntryError, SeedEntryError, TooManyVersionsError, type SecretSeeder, type SeedSecret } from '../domain/seeding';
import { HuaweiTokenFormatError, type HuaweiProjects } from '../huawei/tokens';
import { SeedError, fieldProblem, seedLabel } from './errors';
import type { ParsedSeed, SeedEntry } from './read';

/** The seed's names for the domain's fields, where they differ. */
const SEED_FIELD: Readonly<Partial<Record<DomainField, string>>> = {
  rotationInterval: 'rotation.interval',
  automaticRotation: 'rotation.automatic',
};

/** How many kept names a warning lists before it counts the rest. */
const LISTED_NAMES = 10;

export interface SeedOutcome {
  created: number;
  /** labels of the entries whose secret already existed and was kept as stored */
  kept: string[];
  warnings: string[];
}

/** The configured credentials followed by the seed's; a seed may repeat a configured pair but not contradict it. */
export function mergeSeedAccounts(configured: readonly Credential[], seed: ParsedSeed): Credential[] {
  const byKey = new Map(configured.map((c) => [c.accessKeyId, c]));
  const merged = [...configured];
  seed.accounts.forEach((account, i) => {
    const known = byKey.get(account.accessKeyId);
    if (!known) {
      byKey.set(account.accessKeyId, account);
      merged.push(account);
    } else if (known.secretAccessKey !== account.secretAccessKey || known.accountId !== account.accountId) {
      throw new SeedError(
        `${seedLabel(seed.file)}: accounts[${i}] (${account.accessKeyId}): this access key is already configured with another secret key or account.`,
      );
    }
  });
  return merged;
}

/** Adds the seed's Huawei tokens to the door's project table; a project may not change account or region. */
export function addSeedHuaweiTokens(projects: HuaweiProjects, seed: ParsedSeed): void {
  seed.huaweiTokens.forEach((token, i) => {
    try {
      projects.add(token);
    } catch (e) {
      if (e instanceof HuaweiTokenFormatError) throw new SeedError(`${seedLabel(seed.file)}: huaweiTokens[${i}] (${token.projectId}): ${e.message}.`);
      throw e;
    }
  });
}

export interface SeedContext {
  seeder: SecretSeeder;
  /** where entries without a region go */
  region: string;
  /** every accepted credential (configured and seeded) */
  accounts: readonly Credential[];
}

export async function loadSeed(seed: ParsedSeed, context: SeedContext): Promise<SeedOutcome> {
  const label = seedLabel(seed.file);
  const defaultAccount = (seed.accounts[0] ?? context.accounts[0]).accountId;
  const known = [...new Set(context.accounts.map((a) => a.accountId))];
  const secrets = seed.secrets.map((entry): SeedSecret => {
    const accountId = entry.accountId ?? defaultAccount;
    if (!known.includes(accountId)) {
      throw new SeedError(`${label}: ${entry.label}: accountId ${accountId} is not a configured account (configured: ${known.join(', ')}).`);
    }
    return { ...entry.secret, scope: { accountId, region: entry.region ?? context.region } };
  });
  let report;
  try {
    report = await context.seeder.seed(secrets);
  } catch (e) {
    if (e instanceof SeedEntryError) throw new SeedError(`${label}: ${describeRefusal(seed.secrets, e)}`);
    throw e;
  }
  const kept = report.kept.map((i) => seed.secrets[i].label);
  const warnings: string[] = [];
  if (kept.length > 0) {
    const listed = kept.slice(0, LISTED_NAMES).join(', ') + (kept.length > LISTED_NAMES ? ` and ${kept.length - LISTED_NAMES} more` : '');
    warnings.push(`${label}: ${kept.length} secret${kept.length === 1 ? '' : 's'} already existed and kept the stored data: ${listed}`);
  }
  return { created: report.created.length, kept, warnings };
}

/** `secrets[3] (db-password): versions[1].value: Accounts must hold exactly 2 items.` */
function describeRefusal(entries: readonly SeedEntry[], e: SeedEntryError): string {
  const entry = entries[e.entry];
  return `${entry.label}: ${describeProblem(entry, e.version, e.problem, entries)}`;
}

function describeProblem(entry: SeedEntry, version: number | null, problem: DomainError, entries: readonly SeedEntry[]): string {
  if (problem instanceof InvalidInputError) {
    const field = problem.field === 'value' && version !== null ? entry.valueFields[version] : SEED_FIELD[problem.field] ?? problem.field;
    return fieldProblem(field, problem.reason);
  }
  if (problem instanceof VersionNameConflictError) {
    return fieldProblem(`versions[${version ?? 0}].name`, `"${problem.versionName}" is the name of an earlier version too`);
  }
  if (problem instanceof DuplicateSeedEntryError) {
    return `the same name, account and region as ${entries[problem.firstEntry].label}.`;
  }
  if (problem instanceof TooManyVersionsError) {
    return fieldProblem('versions', `${entry.secret.type} secrets keep at most ${problem.limit} versions`);
  }
  return `${problem.message}.`;
}
