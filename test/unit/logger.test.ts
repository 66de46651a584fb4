import { PassThrough } from 'node:stream';
import { createLogger, formatLine, type LogLevel } from '../../src/logger';

function capture(level: LogLevel) {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return { logger: createLogger(level, stream), lines: () => chunks.join('').split('\n').filter(Boolean) };
}

describe('logger', () => {
  it('writes one JSON object per line: fields, level, message and timestamp, keys sorted, undefined fields left out', () => {
    const line = formatLine('info', 'request', { status: 200, action: 'GetSecretValue', errorCode: undefined, accountId: null }, new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));
    expect(line).toBe(
      '{"accountId":null,"action":"GetSecretValue","level":"info","message":"request","status":200,"timestamp":"2024-01-02T03:04:05.000Z"}',
    );
  });

  it('writes the lines at or above its level and nothing when silent', () => {
    const info = capture('info');
    info.logger.debug('hidden');
    info.logger.info('shown', { n: 1 });
    info.logger.error('also shown');
    expect(info.lines().map((l) => JSON.parse(l).message)).toEqual(['shown', 'also shown']);
    expect(info.logger.isEnabled('debug')).toBe(false);

    const silent = capture('silent');
    silent.logger.error('hidden');
    expect(silent.lines()).toEqual([]);
  });

  it('keeps its own level, message and time over fields of the same name', () => {
    const parsed = JSON.parse(formatLine('warn', 'real', { level: 'debug', message: 'forged', timestamp: 'then' }, new Date(0)));
    expect(parsed).toEqual({ level: 'warn', message: 'real', timestamp: '1970-01-01T00:00:00.000Z' });
  });

  it('still writes a line when a field cannot be serialised', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    const { logger, lines } = capture('debug');
    logger.info('circular', { loop });
    logger.info('big', { n: 10n });
    expect(lines().map((l) => JSON.parse(l))).toMatchObject([
      { message: 'circular', unserialisable: true },
      { message: 'big', n: '10' },
    ]);
  });
});
