/**
 * The Huawei Cloud CSMS door: a second wire over the same domain (see docs/huawei.md, "Huawei Cloud CSMS
 * door"). server.ts builds the project table early (bad configuration fails before anything opens)
 * and mounts the door into the express app before the Volcengine handler.
 */
import type express from 'express';
import type { CredentialRegistry } from '../credentials';
import type { Logger } from '../logger';
import { HuaweiAuthenticator } from './authenticate';
import type { HuaweiServices } from './operations';
import { mountHuaweiDoor, type HuaweiRequestRecord } from './router';
import { HuaweiProjects, parseHuaweiTokenList, type HuaweiToken } from './tokens';

export { HuaweiProjects, HuaweiTokenFormatError, parseHuaweiTokenList } from './tokens';
export type { HuaweiToken } from './tokens';
export { HUAWEI_PREFIX } from './router';

/** The project table from the `huaweiTokens` option: objects, or the `token:project_id:account:region,...` text. */
export function huaweiProjectsOf(tokens: HuaweiToken[] | string | undefined): HuaweiProjects {
  if (tokens === undefined) return new HuaweiProjects();
  return new HuaweiProjects(typeof tokens === 'string' ? parseHuaweiTokenList(tokens) : tokens);
}

export interface HuaweiDoorWiring {
  projects: HuaweiProjects;
  /** the server's access keys: AK/SK callers sign with these, and their account must own the project */
  credentials: CredentialRegistry;
  maxSkewMs: number;
  services: HuaweiServices;
  logger: Logger;
  /** every answered request (the audit log) */
  observe?: (record: HuaweiRequestRecord) => void;
}

/** Returns the function that mounts the door (for createApp's `mount`). */
export function createHuaweiDoor(w: HuaweiDoorWiring): (app: express.Express) => void {
  const authenticator = new HuaweiAuthenticator({ projects: w.projects, credentials: w.credentials, maxSkewMs: w.maxSkewMs });
  return (app) =>
    mountHuaweiDoor(app, {
      authenticator,
      services: w.services,
      observe: (r) => {
        w.observe?.(r);
        w.logger.info('huawei request', { ...r, durationMs: undefined, ms: Math.round(r.durationMs * 100) / 100 });
      },
      onInternalError: (error, requestId) => w.logger.error('internal error', { requestId, error: error instanceof Error ? error.stack : String(error) }),
    });
}
