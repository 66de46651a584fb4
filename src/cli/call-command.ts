/**
 * `volc-secrets call` and `volc-secrets presign`: the shell client. They read the same settings as
 * `serve` (flags, environment, .env) to find the server and the credential, sign like the SDKs and
 * print the Result as JSON (call) or a presigned URL (presign).
 */
import { DEVELOPMENT_CREDENTIAL, type Credential } from '../credentials';
import { DEFAULTS, readCredentialSetting, readSettings } from '../config';
import { API_VERSION, callAction, presignUrl, type ClientTarget } from '../client/signed-client';
import { parseOptions, UsageError, type ParsedOptions } from './options';

const TARGET_OPTIONS = `  --endpoint URL     the server (VOLC_SECRETS_URL; else http://VOLC_SECRETS_HOST:VOLC_SECRETS_PORT,
                     default http://127.0.0.1:8970)
  --region R         region to sign for (VOLC_SECRETS_REGION, default cn-beijing)
  --profile P        which credential of VOLC_SECRETS_CREDENTIALS signs, by AccessKeyId or AccountId
                     (VOLC_SECRETS_PROFILE; default: VOLC_SECRETS_ACCESS_KEY_ID and
                     VOLC_SECRETS_SECRET_ACCESS_KEY if set, else the first configured credential,
                     else the development key pair)
  --api-version V    default ${API_VERSION}
  -h, --help         show this help`;

export const CALL_HELP = `Usage: volc-secrets call <Action> [Name=Value ...] [options]

Signs one call to the running server and prints its Result as JSON. On an error the whole
error envelope goes to stderr and the exit code is 1 (2 for bad usage).

  volc-secrets call CreateSecret SecretName=db SecretType=Generic SecretValue=s3cret
  volc-secrets call GetSecretValue SecretName=db --query SecretValue
  volc-secrets call DescribeSecrets --json '{"PageSize": 5}'

Options:
  Name=Value         a parameter, sent in the query string (as the SDKs send GET Actions)
  --json '{...}'     parameters as one JSON object, sent as the POST body
  --query PATH       print only this field of Result (Secret.SecretName: a nested one);
                     a string is printed as it is, anything else as JSON
  --raw              print Result.SecretValue exactly, without quotes or a newline (for files)
${TARGET_OPTIONS}`;

export const PRESIGN_HELP = `Usage: volc-secrets presign <Action> [Name=Value ...] [options]

Prints a presigned URL for the call (query-string signature), for curl or a browser:

  curl "$(volc-secrets presign GetSecretValue SecretName=db)"

Options:
  Name=Value         a parameter of the call
  --expires S        X-Expires in seconds, 1 to 604800 (default 300): the server accepts
                     the URL until X-Date + S, then answers 400 InvalidTimestamp.
${TARGET_OPTIONS}`;

const TARGET_VALUES = ['endpoint', 'region', 'profile', 'api-version'] as const;

/** Where the server is and who signs, from flags > environment > .env > defaults. */
function resolveTarget(options: ParsedOptions, env: Record<string, string | undefined>): ClientTarget {
  const get = (flag: string, variable: string): string | undefined => options.values[flag] ?? (env[variable] || undefined);
  const region = get('region', 'VOLC_SECRETS_REGION') ?? DEFAULTS.region;
  return { endpoint: resolveEndpoint(options.values.endpoint, env), region, ...resolveCredential(get('profile', 'VOLC_SECRETS_PROFILE'), env) };
}

function resolveEndpoint(flag: string | undefined, env: Record<string, string | undefined>): string {
  const given = flag ?? (env.VOLC_SECRETS_URL || undefined);
  if (given) {
    try {
      return new URL(given).toString().replace(/\/$/, '');
    } catch {
      throw new UsageError(`${flag ? '--endpoint' : 'VOLC_SECRETS_URL'} "${given}" is not a URL (e.g. http://127.0.0.1:8970)`);
    }
  }
  // the address serve listens on; a wildcard address is reached through loopback
  const host = env.VOLC_SECRETS_HOST || DEFAULTS.host;
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const port = env.VOLC_SECRETS_PORT || String(DEFAULTS.port);
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

function resolveCredential(profile: string | undefined, env: Record<string, string | undefined>): Omit<Credential, 'accountId'> {
  const configured = env.VOLC_SECRETS_CREDENTIALS ? readCredentialSetting(env.VOLC_SECRETS_CREDENTIALS, 'VOLC_SECRETS_CREDENTIALS') : [];
  if (profile !== undefined) {
    const all = [...configured, DEVELOPMENT_CREDENTIAL];
    const chosen = all.find((c) => c.accessKeyId === profile || c.accountId === profile);
    if (!chosen) {
      const names = all.map((c) => `${c.accessKeyId} (account ${c.accountId})`).join(', ');
      throw new UsageError(`profile ${profile} is none of the configured credentials: ${names}`);
    }
    return chosen;
  }
  if (env.VOLC_SECRETS_ACCESS_KEY_ID && env.VOLC_SECRETS_SECRET_ACCESS_KEY) {
    return { accessKeyId: env.VOLC_SECRETS_ACCESS_KEY_ID, secretAccessKey: env.VOLC_SECRETS_SECRET_ACCESS_KEY };
  }
  return configured[0] ?? DEVELOPMENT_CREDENTIAL;
}

/** `<Action> Name=Value ...` → the Action and the query pairs. */
function readCall(positionals: string[], command: string): { action: string; query: Array<[string, string]> } {
  const [action, ...pairs] = positionals;
  if (!action) throw new UsageError(`${command} needs an Action, e.g. volc-secrets ${command} GetSecretValue SecretName=db`);
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(action)) throw new UsageError(`"${action}" is not an Action name (e.g. GetSecretValue)`);
  const query = pairs.map((pair): [string, string] => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`expected Name=Value, got "${pair}"`);
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
  return { action, query };
}

function readJsonObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--json is not JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError('--json must be a JSON object, e.g. {"SecretName": "db"}');
  return parsed as Record<string, unknown>;
}

/** Result.a.b for the path `a.b`; undefined when a step is missing. */
function pick(result: unknown, path: string): unknown {
  let at: unknown = result;
  for (const step of path.split('.')) {
    if (!at || typeof at !== 'object' || !(step in at)) return undefined;
    at = (at as Record<string, unknown>)[step];
  }
  return at;
}

interface Envelope {
  ResponseMetadata?: { Error?: { Code?: string } };
  Result?: unknown;
}

function describeFetchError(e: unknown, endpoint: string): string {
  const cause = (e as { cause?: NodeJS.ErrnoException }).cause;
  const code = cause?.code ?? (e as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return `nothing answers at ${endpoint} (ECONNREFUSED); start the server with volc-secrets serve, or give --endpoint`;
  return `cannot reach ${endpoint}: ${code ?? cause?.message ?? (e as Error).message}`;
}

/** Runs `call`; returns the exit code. Output goes to the given streams (the tests use process ones). */
export async function runCallCommand(args: readonly string[], out = process.stdout, err = process.stderr): Promise<number> {
  const options = parseOptions(args, { values: [...TARGET_VALUES, 'json', 'query'], switches: ['raw'] }, true);
  if (options.help) {
    out.write(CALL_HELP + '\n');
    return 0;
  }
  if (options.values.query !== undefined && options.switches.has('raw')) throw new UsageError('give --query or --raw, not both');
  const { action, query } = readCall(options.positionals, 'call');
  const json = options.values.json === undefined ? undefined : readJsonObject(options.values.json);
  const settings = readSettings();
  for (const w of settings.warnings) err.write(`warning: ${w}\n`);
  const target = resolveTarget(options, settings.env);
  let answer;
  try {
    answer = await callAction(target, { action, version: options.values['api-version'], query, json });
  } catch (e) {
    err.write(`volc-secrets call: ${describeFetchError(e, target.endpoint)}\n`);
    return 1;
  }
  const envelope = answer.body as Envelope;
  if (answer.status !== 200 || typeof envelope !== 'object' || envelope === null || envelope.ResponseMetadata?.Error) {
    err.write((typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body, null, 2)) + '\n');
    return 1;
  }
  const result = envelope.Result ?? {};
  const path = options.switches.has('raw') ? 'SecretValue' : options.values.query;
  if (path === undefined) {
    out.write(JSON.stringify(result, null, 2) + '\n');
    return 0;
  }
  const value = pick(result, path);
  if (value === undefined) {
    err.write(`volc-secrets call: the Result of ${action} has no field ${path} (fields: ${Object.keys(result).join(', ') || 'none'})\n`);
    return 1;
  }
  if (options.switches.has('raw')) out.write(String(value));
  else out.write((typeof value === 'string' ? value : JSON.stringify(value, null, 2)) + '\n');
  return 0;
}

/** Runs `presign`; returns the exit code. */
export async function runPresignCommand(args: readonly string[], out = process.stdout, err = process.stderr): Promise<number> {
  const options = parseOptions(args, { values: [...TARGET_VALUES, 'expires'] }, true);
  if (options.help) {
    out.write(PRESIGN_HELP + '\n');
    return 0;
  }
  const { action, query } = readCall(options.positionals, 'presign');
  const expiresText = options.values.expires ?? '300';
  if (!/^\d+$/.test(expiresText) || Number(expiresText) < 1 || Number(expiresText) > 604800) {
    throw new UsageError(`--expires must be a whole number of seconds from 1 to 604800, not "${expiresText}"`);
  }
  const settings = readSettings();
  for (const w of settings.warnings) err.write(`warning: ${w}\n`);
  const target = resolveTarget(options, settings.env);
  out.write(presignUrl(target, { action, version: options.values['api-version'], query }, Number(expiresText)) + '\n');
  return 0;
}
