/**
 * Logs in one of two formats. `json`: one JSON object per line, `{level, time, message, ...fields}`
 * (the three first, the fields after them in sorted order), for pipes and log collectors. `text`:
 * one readable line per entry for a terminal; a request reads
 * `12:04:05.123 200 GetSecretValue db 1.4ms` (and the error Code when there is one). What may be logged is decided by the callers: request records carry ids, names,
 * statuses and codes, never values, keys or signatures.
 *
 * winston writes the lines (see WinstonLogger); it is loaded only when a level other than silent is
 * set, because loading it and its dependencies is a noticeable part of start-up.
 */
import { createBatchedTransport, type FlushableTransport } from './batched-log-transport';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug', 'silent'];

/** `auto` is decided by the CLI: text when standard output is a terminal, json otherwise. */
export type LogFormat = 'auto' | 'json' | 'text';
export const LOG_FORMATS: readonly LogFormat[] = ['auto', 'json', 'text'];

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
  /** writes the lines still held (lines are written at the end of each event-loop turn) */
  flush(): void;
}

/** Lower is more severe; a logger writes the lines at or below its own rank. */
const RANK: Readonly<Record<LogLevel, number>> = { silent: -1, error: 0, warn: 1, info: 2, debug: 3 };

/** BigInt has no JSON form: its digits instead. */
function bigintAsText(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** JSON of a line: level, time and message first, then the fields sorted; a value JSON cannot represent never stops the line. */
export function formatLine(severity: Severity, message: string, fields: LogFields | undefined, at: Date): string {
  const line: Record<string, unknown> = { level: severity, time: at.toISOString(), message };
  if (fields) {
    for (const key of Object.keys(fields).sort()) {
      // the line's own keys win: a field cannot forge the level or the time
      if (!(key in line) && fields[key] !== undefined) line[key] = fields[key];
    }
  }
  try {
    // without a replacer first: it is several times faster, and a BigInt (the one value it refuses
    // that the replacer mends) is rare
    return JSON.stringify(line);
  } catch {
    try {
      return JSON.stringify(line, bigintAsText);
    } catch {
      return JSON.stringify({ level: severity, time: line.time, message, unserialisable: true });
    }
  }
}

/** Fields a request line shows in its own columns (the rest are left out of the text line). */
const REQUEST_COLUMNS = new Set(['status', 'action', 'secretName', 'ms', 'errorCode', 'method', 'path', 'requestId', 'accountId', 'region']);

function scalar(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  try {
    return JSON.stringify(value, bigintAsText) ?? String(value);
  } catch {
    return '[unserialisable]';
  }
}

/**
 * A readable line: local time, then for a request `status Action secret ms ErrorCode`, for anything
 * else `level message key=value...`.
 */
export function formatTextLine(severity: Severity, message: string, fields: LogFields | undefined, at: Date): string {
  const time = at.toTimeString().slice(0, 8) + '.' + String(at.getMilliseconds()).padStart(3, '0');
  const f = fields ?? {};
  if (message === 'request' && f.status !== undefined) {
    const parts = [time, String(f.status), String(f.action ?? `${String(f.method ?? '-')} ${String(f.path ?? '')}`.trim())];
    if (f.secretName) parts.push(String(f.secretName));
    if (typeof f.ms === 'number') parts.push(`${f.ms}ms`);
    if (f.errorCode) parts.push(String(f.errorCode));
    for (const key of Object.keys(f).sort()) {
      if (!REQUEST_COLUMNS.has(key) && f[key] !== undefined && f[key] !== null) parts.push(`${key}=${scalar(f[key])}`);
    }
    return parts.join(' ');
  }
  const parts = [time, severity.padEnd(5), message];
  for (const key of Object.keys(f).sort()) {
    const value = f[key];
    // a value the sentence already says is not repeated
    if (key === 'level' || key === 'message' || value === undefined || (typeof value === 'string' && value !== '' && message.includes(value))) continue;
    parts.push(`${key}=${scalar(value)}`);
  }
  return parts.join(' ');
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
  flush(): void {}
}

/** Where a line's fields travel through winston: beside level and message, not copied in among them. */
const FIELDS = Symbol('fields');

interface LogEntry {
  level: Severity;
  message: string;
  [FIELDS]: LogFields | undefined;
}

/**
 * winston underneath (the logging library this project committed to), with our line format: one
 * sorted JSON object per line, written by a transport that batches the lines of an event-loop turn
 * (batched-log-transport.ts). The level check happens here first, so a disabled line costs nothing.
 */
class WinstonLogger implements Logger {
  private readonly rank: number;
  private winstonLogger: import('winston').Logger | undefined;
  private transport: FlushableTransport | undefined;

  constructor(
    readonly level: Severity,
    private readonly stream: NodeJS.WritableStream,
    private readonly format: Exclude<LogFormat, 'auto'>,
  ) {
    this.rank = RANK[level];
  }

  /** Built on the first line written: loading winston then costs nothing before the server answers. */
  private get winston(): import('winston').Logger {
    if (!this.winstonLogger) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const winston = require('winston') as typeof import('winston');
      const MESSAGE = Symbol.for('message');
      const write = this.format === 'text' ? formatTextLine : formatLine;
      const asLine = winston.format((info) => {
        const entry = info as unknown as LogEntry;
        (info as Record<symbol, unknown>)[MESSAGE] = write(entry.level, entry.message, entry[FIELDS], new Date());
        return info;
      });
      const transport = createBatchedTransport(winston, this.stream);
      this.transport = transport;
      this.winstonLogger = winston.createLogger({
        level: this.level,
        levels: { error: 0, warn: 1, info: 2, debug: 3 },
        format: asLine(),
        transports: [transport],
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

  flush(): void {
    this.transport?.flush();
  }

  private write(severity: Severity, message: string, fields: LogFields | undefined): void {
    if (RANK[severity] > this.rank) return;
    const entry: LogEntry = { level: severity, message, [FIELDS]: fields };
    this.winston.log(entry as unknown as import('winston').LogEntry);
  }
}

/** `auto` means text on a terminal stream and json otherwise. */
export function createLogger(level: LogLevel, stream: NodeJS.WritableStream = process.stdout, format: LogFormat = 'json'): Logger {
  if (level === 'silent') return new SilentLogger();
  const resolved = format === 'auto' ? ((stream as { isTTY?: boolean }).isTTY ? 'text' : 'json') : format;
  return new WinstonLogger(level, stream, resolved);
}
