/**
 * The jest helpers learn the control credential from the environment globalSetup publishes, and sign
 * the control API with it (not with the account's pair, which the server refuses there).
 */
import { generateCredential } from '../../src/credentials';
import { publishedServer, serverEnvironment } from '../../src/jest/environment';

describe('the published control credential', () => {
  const account = generateCredential();
  const control = { ...generateCredential(), control: true };
  const base = { url: 'http://127.0.0.1:1', endpoint: '127.0.0.1:1', region: 'cn-beijing', credentials: account };

  it('is published as VOLC_SECRETS_CONTROL_ACCESS_KEY_ID / _SECRET_ACCESS_KEY and read back', () => {
    const env = serverEnvironment({ ...base, control });
    expect(env.VOLC_SECRETS_CONTROL_ACCESS_KEY_ID).toBe(control.accessKeyId);
    expect(env.VOLC_SECRETS_CONTROL_SECRET_ACCESS_KEY).toBe(control.secretAccessKey);
    // the SDKs' variables still carry the account's pair
    expect(env.VOLC_ACCESSKEY).toBe(account.accessKeyId);
    expect(publishedServer(env).control).toEqual({ accessKeyId: control.accessKeyId, secretAccessKey: control.secretAccessKey });
  });

  it('falls back to the account pair when none is given (a server whose default pair owns the control API)', () => {
    expect(publishedServer(serverEnvironment(base)).control).toEqual({ accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey });
  });
});
