/**
 * Huawei door configuration: X-Auth-Token values and the projects they are scoped to.
 *
 * A Huawei project_id stands for one account and one region of the domain (a Scope). The token
 * entries `token:project_id:account:region` say both which tokens are accepted and which scope each
 * project_id means; AK/SK-signed requests use the same project table.
 */
import type { Scope } from '../domain/types';

export interface HuaweiToken {
  /** the X-Auth-Token value (a secret: never logged, never echoed) */
  token: string;
  projectId: string;
  accountId: string;
  region: string;
}

export class HuaweiTokenFormatError extends Error {}

const TOKEN_PATTERN = /^[\x21-\x2b\x2d-\x7e]{1,16384}$/; // printable, no space, no comma
const PROJECT_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const ACCOUNT_PATTERN = /^[0-9]{1,20}$/;
const REGION_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Checks one entry; returns a description of the first problem, or null when it is valid. */
export function huaweiTokenProblem(t: HuaweiToken): string | null {
  if (!TOKEN_PATTERN.test(t.token)) return 'the token must be printable characters without spaces or commas';
  if (!PROJECT_PATTERN.test(t.projectId)) return 'project_id must be 1-64 characters of [A-Za-z0-9_-]';
  if (!ACCOUNT_PATTERN.test(t.accountId)) return 'the account must be 1-20 digits';
  if (!REGION_PATTERN.test(t.region)) return 'the region must look like cn-beijing';
  return null;
}

/**
 * Parses `token:project_id:account:region[,...]` (VOLC_SECRETS_HUAWEI_TOKENS, and seed files).
 * The last three fields are taken from the right, so a token may itself contain ':'.
 */
export function parseHuaweiTokenList(text: string): HuaweiToken[] {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new HuaweiTokenFormatError('no tokens given');
  return entries.map((entry, i) => {
    const parts = entry.split(':');
    if (parts.length < 4) throw new HuaweiTokenFormatError(`entry ${i + 1} is not token:project_id:account:region`);
    const region = parts.pop() as string;
    const accountId = parts.pop() as string;
    const projectId = parts.pop() as string;
    const t: HuaweiToken = { token: parts.join(':'), projectId, accountId, region };
    const problem = huaweiTokenProblem(t);
    // The entry number and project identify the entry; the token itself is never repeated.
    if (problem) throw new HuaweiTokenFormatError(`entry ${i + 1} (project ${projectId}): ${problem}`);
    return t;
  });
}

/** Which scope each project_id means, and which token belongs to which project. */
export class HuaweiProjects {
  private readonly byToken = new Map<string, HuaweiToken>();
  private readonly byProject = new Map<string, Scope>();

  constructor(initial: Iterable<HuaweiToken> = []) {
    for (const t of initial) this.add(t);
  }

  /** Adds a token; a project_id may have several tokens but only one account and region. */
  add(t: HuaweiToken): void {
    const problem = huaweiTokenProblem(t);
    if (problem) throw new HuaweiTokenFormatError(`project ${t.projectId}: ${problem}`);
    const scope = this.byProject.get(t.projectId);
    if (scope && (scope.accountId !== t.accountId || scope.region !== t.region)) {
      throw new HuaweiTokenFormatError(`project ${t.projectId} is configured for two different accounts or regions`);
    }
    const existing = this.byToken.get(t.token);
    if (existing && existing.projectId !== t.projectId) {
      throw new HuaweiTokenFormatError(`one token is configured for two projects (${existing.projectId}, ${t.projectId})`);
    }
    this.byProject.set(t.projectId, { accountId: t.accountId, region: t.region });
    this.byToken.set(t.token, { ...t });
  }

  /** how many projects are configured */
  get size(): number {
    return this.byProject.size;
  }

  token(token: string): HuaweiToken | undefined {
    return this.byToken.get(token);
  }

  project(projectId: string): Scope | undefined {
    return this.byProject.get(projectId);
  }

  list(): HuaweiToken[] {
    return [...this.byToken.values()].map((t) => ({ ...t }));
  }
}
