#!/usr/bin/env node
/**
 * volc-secrets: argv + environment + .env → Config → startServer(); and the shell client (call,
 * presign) and export. Options are read by util.parseArgs (src/cli/options.ts), .env by dotenv.
 * Standard output carries only data (log lines, call results); banners, the ready line and
 * warnings go to standard error, so that `serve | jq` and `$(volc-secrets call ...)` work.
 */
import { isSea } from 'node:sea';
import { runCallCommand, runPresignCommand } from './cli/call-command';
import { parseOptions, UsageError } from './cli/options';
import { ConfigError, commandLineSecretWarning, readSettings, resolveConfig, type Config, type Overrides } from './config';
import { DEVELOPMENT_CREDENTIAL } from './credentials';
import { MasterKeyError } from './crypto/master-key';
import { DatabaseOpenError } from './store/database-open-error';
import { PortInUseError, StartupError, startServer, type ServerHandle } from './server';
import type { RegionCount } from './store/region-count';
import { SeedError } from './seed';
import { runExportCommand } from './seed/export-command';
import { VERSION } from './version';
import { didYouMean } from './did-you-mean';

const MAIN_HELP = `volc-secrets ${VERSION}: a local Volcengine KMS Secrets Manager (Version 2021-02-18)

Usage:
  volc-secrets serve [options]                  start the server
  volc-secrets call <Action> [Name=Value ...]   sign one call to the server, print its Result (call --help)
  volc-secrets presign <Action> [Name=Value ...]  print a presigned URL for curl (presign --help)
  volc-secrets export [options]                 write the stored secrets as a seed file (export --help)
  volc-secrets --help                           show this help (volc-secrets serve --help for its options)
  volc-secrets --version                        print the version

Configuration comes from flags, then the environment, then a .env file in the working directory.
See .env.example for every variable.`;

const SERVE_HELP = `Usage: volc-secrets serve [options]

Options:
  --host H          address to listen on (VOLC_SECRETS_HOST, default 127.0.0.1)
  --port N          port, 0 picks a free one (VOLC_SECRETS_PORT, default 8970)
  --db PATH|URL     SQLite file, created if missing, :memory:, or postgres://user:password@host:port/database
                    (VOLC_SECRETS_DB, default ./data/secrets.db)
  --db-pool-size N  PostgreSQL connections per server (VOLC_SECRETS_DB_POOL_SIZE, default 10)
  --credentials C   AK:SK:AccountId[:control][,...] (VOLC_SECRETS_CREDENTIALS; prefer the variable:
                    flags show in process lists). :control marks pairs that may call /_local
  --master-key-file F   32-byte base64 master key (VOLC_SECRETS_MASTER_KEY_FILE, default <db>.master-key)
  --log-level L     error, warn, info, debug or silent (VOLC_SECRETS_LOG_LEVEL, default info)
  --log-format F    auto, json or text (VOLC_SECRETS_LOG_FORMAT, default auto: readable lines
                    on a terminal, JSON lines when standard output is a pipe or a file)
  --region R        region shown in hints; one Volcengine does not have is warned about
                    (VOLC_SECRETS_REGION, default cn-beijing)
  --seed FILE       JSON or YAML seed file loaded at start; existing names are kept (VOLC_SECRETS_SEED)
  -h, --help        show this help

Without credentials the server uses the public development key pair (printed at start; it also
owns the local control API) and only listens on loopback addresses.
VOLC_SECRETS_MAX_CONNECTIONS caps concurrent connections (default 256).
Log lines go to standard output; the banner, the ready line and warnings to standard error.`;

/** serve's options, by long name, and the Config field each sets */
const SERVE_OPTIONS: Record<string, keyof Overrides> = {
  host: 'host',
  port: 'port',
  db: 'db',
  'db-pool-size': 'dbPoolSize',
  credentials: 'credentials',
  'master-key-file': 'masterKeyFile',
  'log-level': 'logLevel',
  'log-format': 'logFormat',
  region: 'region',
  seed: 'seed',
};

function describeRegions(counts: RegionCount[]): string {
  return counts.length === 0 ? 'no secrets yet' : 'secrets in ' + counts.map((c) => `${c.region} (${c.secrets})`).join(', ');
}

async function printBanner(config: Config, handle: ServerHandle): Promise<void> {
  const out = process.stderr;
  if (config.credentials.length === 0) {
    out.write(
      [
        'Using the development key pair (public; loopback only). Point your SDK at it:',
        `  AccessKeyId:     ${DEVELOPMENT_CREDENTIAL.accessKeyId}`,
        `  SecretAccessKey: ${DEVELOPMENT_CREDENTIAL.secretAccessKey}`,
        `  AccountId:       ${DEVELOPMENT_CREDENTIAL.accountId}`,
        '',
      ].join('\n'),
    );
  }
  for (const w of handle.warnings) out.write(`warning: ${w}\n`);
  out.write(`Web console: ${handle.url}/console/\n`);
  const regions = describeRegions(await handle.secretsByRegion());
  out.write(`volc-secrets ready: ${handle.url} (db ${handle.databaseFile}, region ${handle.region}) ${regions}\n`);
}

async function serve(args: string[]): Promise<number> {
  const options = parseOptions(args, { values: Object.keys(SERVE_OPTIONS) });
  if (options.help) {
    process.stdout.write(SERVE_HELP + '\n');
    return 0;
  }
  const flags: Overrides = {};
  for (const [name, value] of Object.entries(options.values)) flags[SERVE_OPTIONS[name]] = value;
  const settings = readSettings();
  for (const w of settings.warnings) process.stderr.write(`warning: ${w}\n`);
  const config = resolveConfig(settings.env, flags);
  const flagWarning = commandLineSecretWarning(flags);
  if (flagWarning) process.stderr.write(`warning: ${flagWarning}\n`);
  let handle: ServerHandle;
  try {
    handle = await startServer({
      host: config.host,
      port: config.port,
      db: config.db,
      dbPoolSize: config.dbPoolSize,
      credentials: config.credentials.length > 0 ? config.credentials : [DEVELOPMENT_CREDENTIAL],
      masterKeyFile: config.masterKeyFile,
      logLevel: config.logLevel,
      logFormat: config.logFormat,
      region: config.region,
      maxSkewSeconds: config.maxSkewSeconds,
      sweepSeconds: config.sweepSeconds,
      auditMaxRows: config.auditMaxRows,
      seed: config.seed,
      huaweiTokens: config.huaweiTokens,
      maxConnections: config.maxConnections,
    });
  } catch (e) {
    if (e instanceof PortInUseError) throw new StartupError(`port ${e.port} on ${e.host} is already in use; choose another with --port (0 picks a free one)`);
    throw e;
  }
  // The ready line also promises a graceful stop, so the signal handlers go in before it is printed
  // (a supervisor may send SIGTERM the moment it reads the line).
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      handle.logger.info('shutting down', { signal });
      handle.close().then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await printBanner(config, handle);
  await stopped;
  return 0;
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  serve,
  call: (args) => runCallCommand(args),
  presign: (args) => runPresignCommand(args),
  export: (args) => runExportCommand(args),
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(MAIN_HELP + '\n');
      return command === undefined ? 1 : 0;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      process.stdout.write(VERSION + '\n');
      return 0;
    }
    const run = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!run) throw new UsageError(`unknown command ${command}${didYouMean(command, Object.keys(COMMANDS))}`);
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      const help = command !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, command) ? `volc-secrets ${command} --help` : 'volc-secrets --help';
      process.stderr.write(`volc-secrets: ${e.message} (see ${help})\n`);
      return 2;
    }
    if (e instanceof ConfigError || e instanceof StartupError || e instanceof MasterKeyError || e instanceof DatabaseOpenError || e instanceof SeedError) {
      process.stderr.write(`volc-secrets: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`volc-secrets: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

// Start when this file is the program (node dist/src/cli.js, the npm bin link). Inside the single
// binary this module is bundled and require.main is the bundle, so this would fire there too, before
// the SQLite addon is ready: there src/sea-main.ts calls main() itself.
if (require.main === module && !isSea()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
