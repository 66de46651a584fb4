// Node (CommonJS) with the official SDK, against `npm start` (or VOLC_SECRETS_ENDPOINT, host:port).
const { Service } = require('@volcengine/openapi');

const kms = new Service({
  host: process.env.VOLC_SECRETS_ENDPOINT ?? '127.0.0.1:8970',
  protocol: 'http:',
  serviceName: 'kms',
  region: 'cn-beijing',
  accessKeyId: 'AKLTdevlocal0000000000000000000000', // the development pair printed at start
  secretKey: 'dGhpcyBpcyB0aGUgbG9jYWwgZGV2IHNlY3JldCBrZXk=',
});
const createSecret = kms.createJSONAPI('CreateSecret', { Version: '2021-02-18' });
const getSecretValue = kms.createAPI('GetSecretValue', { Version: '2021-02-18', method: 'GET' });

async function main() {
  const created = await createSecret({ SecretName: 'db-password', SecretType: 'Generic', SecretValue: 's3cr3t' });
  if (created.ResponseMetadata.Error) throw new Error(created.ResponseMetadata.Error.Message);
  const res = await getSecretValue({ SecretName: 'db-password' });
  console.log(res.Result.SecretValue); // s3cr3t
}
main();
