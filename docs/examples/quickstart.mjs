// Node (ES module) with the official SDK, against `npm start` (or VOLC_SECRETS_ENDPOINT, host:port).
import { Service } from '@volcengine/openapi';

const kms = new Service({
  host: process.env.VOLC_SECRETS_ENDPOINT ?? '127.0.0.1:8970',
  protocol: 'http:',
  serviceName: 'kms',
  region: 'cn-beijing',
  accessKeyId: 'AKLTdevlocal0000000000000000000000', // the development pair printed at start
  secretKey: 'dGhpcyBpcyB0aGUgbG9jYWwgZGV2IHNlY3JldCBrZXk=',
});
const call = (action, params) => kms.createJSONAPI(action, { Version: '2021-02-18' })(params);

await call('CreateSecret', { SecretName: 'api-token', SecretType: 'Generic', SecretValue: 't0ken' });
const res = await call('GetSecretValue', { SecretName: 'api-token' });
// errors resolve rather than throw in the Node SDK: look at ResponseMetadata.Error
if (res.ResponseMetadata.Error) throw new Error(res.ResponseMetadata.Error.Message);
console.log(res.Result.SecretValue); // t0ken
