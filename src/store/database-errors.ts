/** Why a database could not be opened or migrated, in words for the person starting the server. */
export class DatabaseOpenError extends Error {}
