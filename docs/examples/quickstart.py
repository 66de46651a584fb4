# Python with volcengine-python-sdk (pip install volcengine-python-sdk), against `npm start`.
import volcenginesdkcore
import volcenginesdkkms

configuration = volcenginesdkcore.Configuration()
configuration.host = "127.0.0.1:8970"  # the server, host:port
configuration.scheme = "http"          # the local server speaks plain HTTP
configuration.region = "cn-beijing"
configuration.ak = "AKLTdevlocal0000000000000000000000"
configuration.sk = "dGhpcyBpcyB0aGUgbG9jYWwgZGV2IHNlY3JldCBrZXk="

kms = volcenginesdkkms.KMSApi(volcenginesdkcore.ApiClient(configuration))
kms.create_secret(volcenginesdkkms.CreateSecretRequest(
    secret_name="py-secret", secret_type="Generic", secret_value="from python"))
print(kms.get_secret_value(volcenginesdkkms.GetSecretValueRequest(secret_name="py-secret")).secret_value)
