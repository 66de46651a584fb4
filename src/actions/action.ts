/**
 * What an Action is: a name, the version it belongs to, the schema its parameters must satisfy,
 * and a thin handler (wire params → domain call → presenter).
 */
import type { SecretBackups } from '../domain/backups';
import type { SecretsService } from '../domain/secrets-service';
import type { Scope } from '../domain/types';

export const API_VERSION = '2021-02-18';

export interface Services {
  secrets: SecretsService;
  backups: SecretBackups;
}

export interface ActionContext {
  scope: Scope;
  services: Services;
}

export interface ActionDefinition<P = Record<string, unknown>> {
  name: string;
  version: string;
  /** id of the JSON Schema in schemas/ that the parameters must satisfy */
  schemaId: string;
  handle(ctx: ActionContext, params: P): Promise<object>;
}

/** Declares an Action whose parameters, once validated by its schema, have the type P. */
export function defineAction<P>(name: string, handle: (ctx: ActionContext, params: P) => Promise<object>): ActionDefinition {
  return { name, version: API_VERSION, schemaId: `actions/${name}`, handle: handle as ActionDefinition['handle'] };
}

export function pageRequest(page: number | undefined, size: number | undefined, defaultSize: number) {
  return { page: page ?? 1, size: size ?? defaultSize };
}
