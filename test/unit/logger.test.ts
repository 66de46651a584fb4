import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { createLogger, formatLine, formatTextLine, type LogLevel } from '../../src/logger';

function capture(level: LogLevel) {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const logger = createLogger(level, stream);
  // the lines of an event-loop turn are written at its end; flush() writes them now
  return { logger, chunks, lines: () => (logger.flush(), chunks.join('').split('\n').filter(Boolean)) };
}

describe('logger', () => {
  it('writes one JSON object per line: level, time and message first, then the fields sorted, undefined fields left out', () => {
    const line = formatLine('info', 'request', { status: 200, action: 'GetSecretValue', errorCode: undefined, accountId: null }, new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));
    expect(line).toBe('{"level":"info","time":"2024-01-02T03:04:05.000Z","message":"request","accountId":null,"action":"GetSecretValue","status":200}');
  });

  it('writes a request as one readable text line: time, status, Action, secret, ms, error code', () => {
    const at = new Date(2024, 0, 2, 3, 4, 5, 67);
    const fields = { method: 'POST', path: '/', action: 'GetSecretValue', secretName: 'db', status: 404, ms: 1.25, errorCode: 'ResourceNotFound', requestId: 'r1' };
    expect(formatTextLine('info', 'request', fields, at)).toBe('03:04:05.067 404 GetSecretValue db 1.25ms ResourceNotFound');
    expect(formatTextLine('info', 'request', { method: 'GET', path: '/nowhere', action: null, status: 400, ms: 0 }, at)).toBe('03:04:05.067 400 GET /nowhere 0ms');
    expect(formatTextLine('warn', 'seed loaded', { created: 2, seed: 'my seed.yaml' }, at)).toBe('03:04:05.067 warn  seed loaded created=2 seed="my seed.yaml"');
    // fields the sentence already says are not repeated
    expect(formatTextLine('info', 'no secret db in region cn-shanghai', { secretName: 'db', region: 'cn-shanghai', regions: ['cn-beijing'] }, at)).toBe(
      '03:04:05.067 info  no secret db in region cn-shanghai regions=["cn-beijing"]',
    );
  });

  it('chooses text for a terminal and json otherwise when the format is auto', () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    const pipe = new PassThrough();
    const chunks: Record<string, string> = { tty: '', pipe: '' };
    tty.on('data', (c: Buffer) => (chunks.tty += c.toString('utf8')));
    pipe.on('data', (c: Buffer) => (chunks.pipe += c.toString('utf8')));
    for (const stream of [tty, pipe]) {
      const logger = createLogger('info', stream, 'auto');
      logger.info('request', { status: 200, action: 'DescribeSecrets', ms: 2 });
      logger.flush();
    }
    expect(chunks.tty).toMatch(/^\d\d:\d\d:\d\d\.\d{3} 200 DescribeSecrets 2ms\n$/);
    expect(Object.keys(JSON.parse(chunks.pipe)).slice(0, 3)).toEqual(['level', 'time', 'message']);
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
    const parsed = JSON.parse(formatLine('warn', 'real', { level: 'debug', message: 'forged', time: 'then' }, new Date(0)));
    expect(parsed).toEqual({ level: 'warn', message: 'real', time: '1970-01-01T00:00:00.000Z' });
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

  it('writes the lines of one event-loop turn together, in order, at the end of the turn', async () => {
    const { logger, chunks } = capture('info');
    for (let i = 0; i < 5; i++) logger.info('line', { i });
    // nothing is written during the turn...
    expect(chunks).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    // ...and then one write holds all five lines, in the order they were logged
    expect(chunks).toHaveLength(1);
    expect(chunks[0].split('\n').filter(Boolean).map((l) => JSON.parse(l).i)).toEqual([0, 1, 2, 3, 4]);
    logger.info('next turn');
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks).toHaveLength(2);
  });

  it('loses no line when the process exits in the turn that logged it', () => {
    // a real process: log, then exit at once (process.exit skips the pending setImmediate)
    const script = `
      const { createLogger } = require(${JSON.stringify(require.resolve('../../dist/src/logger.js'))});
      const logger = createLogger('info', process.stdout);
      for (let i = 0; i < 3; i++) logger.info('before exit', { i });
      process.exit(0);
    `;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(out.split('\n').filter(Boolean).map((l) => JSON.parse(l).i)).toEqual([0, 1, 2]);
  });
});
