/**
 * Structured logs: one JSON object per line, `{...fields, level, message, timestamp}` with the keys
 * in sorted order. What may be logged is decided by the callers: request records carry ids, names,
 * statuses and codes, never values, keys or signatures.
 *
 * Written here rather than with winston: at the default level every request is logged, and
 * winston's stream pipeline cost more per line than the line itself; loading winston and its
 * dependencies was also a fifth of the start-up time.
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug', 'silent'];

/** Extra fields of a line; `undefined` values are left out. */
export type LogFields = Readonly<Record<string, unknown>>;

type Severity = Exclude<LogLevel, 'silent'>;

export interface Logger {
  readonly level: LogLevel;
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  /** whether lines of this severity are written */
  isEnabled(severity: Severity): boolean;
}

/** Lower is more severe; a logger writes the lines at or below its own rank. */
const RANK: Readonly<Record<LogLevel, number>> = { silent: -1, error: 0, warn: 1, info: 2, debug: 3 };

/** JSON of a line, keys sorted; a value JSON cannot represent never stops the line from being written. */
export function formatLine(severity: Severity, message: string, fields: LogFields | undefined, at: Date): string {
  const line: Record<string, unknown> = { level: severity, message, timestamp: at.toISOString() };
  if (fields) {
    for (const key in fields) {
      // the line's own keys win: a field cannot forge the level or the time
      if (!(key in line) && fields[key] !== undefined) line[key] = fields[key];
    }
  }
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(line).sort()) sorted[key] = line[key];
  try {
    return JSON.stringify(sorted, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  } catch {
    return JSON.stringify({ level: severity, message, timestamp: line.timestamp, unserialisable: true });
  }
}

class JsonLineLogger implements Logger {
  private readonly rank: number;

  constructor(
    readonly level: LogLevel,
    private readonly stream: NodeJS.WritableStream,
  ) {
    this.rank = RANK[level];
  }

  isEnabled(severity: Severity): boolean {
    return RANK[severity] <= this.rank;
  }

  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }

  private write(severity: Severity, message: string, fields: LogFields | undefined): void {
    if (RANK[severity] > this.rank) return;
    this.stream.write(formatLine(severity, message, fields, new Date()) + '\n');
  }
}

export function createLogger(level: LogLevel, stream: NodeJS.WritableStream = process.stdout): Logger {
  return new JsonLineLogger(level, stream);
}
