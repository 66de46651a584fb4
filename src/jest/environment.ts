/**
 * The environment variables through which a started server is published to test workers and to
 * SDKs: each Volcengine SDK reads its own names, so all of them are set.
 */
import type { Credential } from '../credentials';

export interface PublishedServer {
  url: string;
  /** host:port, what SDK `host`/endpoint options take */
  endpoint: string;
  region: string;
  credentials: Credential;
  /** the control credential (the local control API refuses every other key); default `credentials` */
  control?: Pick<Credential, 'accessKeyId' | 'secretAccessKey'>;
}

export function serverEnvironment(s: PublishedServer): Record<string, string> {
  const { accessKeyId, secretAccessKey, accountId } = s.credentials;
  return {
    // ours
    VOLC_SECRETS_URL: s.url,
    VOLC_SECRETS_ENDPOINT: s.endpoint,
    VOLC_SECRETS_REGION: s.region,
    VOLC_SECRETS_ACCESS_KEY_ID: accessKeyId,
    VOLC_SECRETS_SECRET_ACCESS_KEY: secretAccessKey,
    VOLC_SECRETS_ACCOUNT_ID: accountId,
    // @volcengine/openapi (Node) and the older SDKs
    VOLC_ACCESSKEY: accessKeyId,
    VOLC_SECRETKEY: secretAccessKey,
    // volcengine-go-sdk / volcengine-python-sdk / Terraform provider
    VOLCENGINE_ACCESS_KEY: accessKeyId,
    VOLCENGINE_SECRET_KEY: secretAccessKey,
    VOLCENGINE_REGION: s.region,
    VOLCENGINE_ENDPOINT: s.endpoint,
    VOLCSTACK_ACCESS_KEY_ID: accessKeyId,
    VOLCSTACK_SECRET_ACCESS_KEY: secretAccessKey,
    // the key pair of the local control API (resetServer, advanceClock, injectFault...)
    VOLC_SECRETS_CONTROL_ACCESS_KEY_ID: (s.control ?? s.credentials).accessKeyId,
    VOLC_SECRETS_CONTROL_SECRET_ACCESS_KEY: (s.control ?? s.credentials).secretAccessKey,
  };
}

/** Reads back what `serverEnvironment` published (in a test worker). */
export function publishedServer(env: NodeJS.ProcessEnv = process.env): PublishedServer {
  const need = (name: string): string => {
    const v = env[name];
    if (!v) throw new Error(`${name} is not set: is volc-secrets-local/jest/global-setup configured as jest's globalSetup?`);
    return v;
  };
  const controlKey = env.VOLC_SECRETS_CONTROL_ACCESS_KEY_ID;
  const controlSecret = env.VOLC_SECRETS_CONTROL_SECRET_ACCESS_KEY;
  return {
    ...(controlKey && controlSecret ? { control: { accessKeyId: controlKey, secretAccessKey: controlSecret } } : {}),
    url: need('VOLC_SECRETS_URL'),
    endpoint: need('VOLC_SECRETS_ENDPOINT'),
    region: need('VOLC_SECRETS_REGION'),
    credentials: {
      accessKeyId: need('VOLC_SECRETS_ACCESS_KEY_ID'),
      secretAccessKey: need('VOLC_SECRETS_SECRET_ACCESS_KEY'),
      accountId: need('VOLC_SECRETS_ACCOUNT_ID'),
    },
  };
}
