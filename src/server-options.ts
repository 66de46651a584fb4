/**
 * The names startServer() accepts, checked before anything starts: a misspelt option (`prot: 0`)
 * would otherwise be ignored and the server would start with the default. The record's type makes
 * the compiler insist that every ServerOptions field is listed here.
 */
import { didYouMean } from './did-you-mean';
import type { ServerOptions } from './server';

const OPTION_NAMES = {
  host: true,
  port: true,
  db: true,
  dbPoolSize: true,
  credentials: true,
  masterKeyFile: true,
  logLevel: true,
  logFormat: true,
  logStream: true,
  region: true,
  maxSkewSeconds: true,
  sweepSeconds: true,
  seed: true,
  requestTimeoutMs: true,
  auditMaxRows: true,
  faults: true,
  huaweiTokens: true,
  maxConnections: true,
} satisfies Record<keyof ServerOptions, true>;

const KNOWN = Object.keys(OPTION_NAMES);

/** The first option startServer() does not know, with the closest known name; undefined when all are known. */
export function unknownOptionProblem(options: object): string | undefined {
  for (const name of Object.keys(options)) {
    if (!Object.prototype.hasOwnProperty.call(OPTION_NAMES, name)) {
      return `unknown startServer() option ${name}${didYouMean(name, KNOWN)}; known options: ${KNOWN.join(', ')}`;
    }
  }
  return undefined;
}
