/**
 * The command-line option reader (util.parseArgs underneath) and "did you mean": every mistake is one
 * sentence naming what was typed, with the closest known name when there is a likely one.
 */
import { parseOptions, UsageError } from '../../src/cli/options';
import { closestName, editDistance } from '../../src/did-you-mean';

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

const TABLE = { values: ['port', 'db', 'log-level'], switches: ['raw'] };

describe('parseOptions', () => {
  it('reads --name value, --name=value, switches, positionals and -h', () => {
    const parsed = parseOptions(['GetSecretValue', '--port', '0', '--db=:memory:', '--raw', 'SecretName=a=b', '-h'], TABLE, true);
    expect(parsed).toEqual({ values: { port: '0', db: ':memory:' }, switches: new Set(['raw']), positionals: ['GetSecretValue', 'SecretName=a=b'], help: true });
  });

  it.each([
    [['--prot', '1'], 'unknown option --prot (did you mean --port?)'],
    [['--log-levl=debug'], 'unknown option --log-levl (did you mean --log-level?)'],
    [['--colour', 'blue'], 'unknown option --colour'],
    [['--port'], 'option --port needs a value'],
    [['--port', '--db', 'x'], 'option --port needs a value'],
    [['--raw=yes'], 'option --raw takes no value'],
    [['stray'], 'unexpected argument stray'],
  ])('%j → %s', (args, message) => {
    expect(usageError(() => parseOptions(args, TABLE))).toBe(message);
  });
});

describe('did you mean', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('prot', 'port')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests only close names', () => {
    const known = ['VOLC_SECRETS_REGION', 'VOLC_SECRETS_LOG_LEVEL', 'VOLC_SECRETS_DB'];
    expect(closestName('VOLC_SECRETS_REGOIN', known)).toBe('VOLC_SECRETS_REGION');
    expect(closestName('volc_secrets_db', known)).toBe('VOLC_SECRETS_DB');
    expect(closestName('VOLC_SECRETS_TOTALLY_NEW', known)).toBeUndefined();
    expect(closestName('ab', ['xy'])).toBeUndefined();
  });
});
