/**
 * Structured logs (one JSON object per line). What may be logged is decided by the callers:
 * request records carry ids, names, statuses and codes, never values, keys or signatures.
 */
import winston from 'winston';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug', 'silent'];

export type Logger = winston.Logger;

export function createLogger(level: LogLevel, stream: NodeJS.WritableStream = process.stdout): Logger {
  return winston.createLogger({
    level: level === 'silent' ? 'error' : level,
    silent: level === 'silent',
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Stream({ stream })],
  });
}
