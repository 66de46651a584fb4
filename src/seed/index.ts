/** Seed files: read and check (read.ts), load through the domain (load.ts), write back (export.ts). */
export type { SeedAccountEntry, SeedDocument, SeedHuaweiToken, SeedRotation, SeedSecretEntry, SeedValue, SeedVersionEntry } from './document';
export { SeedError } from './errors';
export { readSeed, type ParsedSeed } from './read';
export { addSeedHuaweiTokens, loadSeed, mergeSeedAccounts, type SeedOutcome } from './load';
