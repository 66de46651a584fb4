/**
 * Structured logs: one JSON object per line, `{...fields, level, message, timestamp}` with the keys
 * in sorted order. What may be logged is decided by the callers: request records carry ids, names,
 * statuses and codes, never values, keys or signatures.
 *
 * winston writes the lines (see WinstonLogger); it is loaded only when a level other than silent is
 * set, because loading it and its dependencies is a noticeable part of start-up.
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

/** Writes nothing, and loads nothing: the in-process default is quiet, and starting must stay cheap. */
class SilentLogger implements Logger {
  readonly level = 'silent' as const;
  isEnabled(): boolean {
    return false;
  }
  error(): void {}
  warn(): void {}
  info(): void {}
  debug(): void {}
}

/**
 * winston underneath (the logging library this project committed to), with our line format: one
 * sorted JSON object per line. The level check happens here first, so a disabled line costs nothing.
 */
class WinstonLogger implements Logger {
  private readonly rank: number;
  private winstonLogger: import('winston').Logger | undefined;

  constructor(
    readonly level: Severity,
    private readonly stream: NodeJS.WritableStream,
  ) {
    this.rank = RANK[level];
  }

  /** Built on the first line written: loading winston then costs nothing before the server answers. */
  private get winston(): import('winston').Logger {
    if (!this.winstonLogger) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const winston = require('winston') as typeof import('winston');
      const MESSAGE = Symbol.for('message');
      const asLine = winston.format((info) => {
        const { level: severity, message, ...fields } = info;
        (info as Record<symbol, unknown>)[MESSAGE] = formatLine(severity as Severity, String(message), fields, new Date());
        return info;
      });
      this.winstonLogger = winston.createLogger({
        level: this.level,
        levels: { error: 0, warn: 1, info: 2, debug: 3 },
        format: asLine(),
        transports: [new winston.transports.Stream({ stream: this.stream, eol: '\n' })],
      });
    }
    return this.winstonLogger;
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
    this.winston.log({ ...fields, level: severity, message });
  }
}

export function createLogger(level: LogLevel, stream: NodeJS.WritableStream = process.stdout): Logger {
  return level === 'silent' ? new SilentLogger() : new WinstonLogger(level, stream);
}
