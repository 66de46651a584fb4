// Go with volcengine-go-sdk (go get github.com/volcengine/volcengine-go-sdk), against `npm start`.
package main

import (
	"fmt"

	"github.com/volcengine/volcengine-go-sdk/service/kms"
	"github.com/volcengine/volcengine-go-sdk/volcengine"
	"github.com/volcengine/volcengine-go-sdk/volcengine/credentials"
	"github.com/volcengine/volcengine-go-sdk/volcengine/session"
)

func main() {
	config := volcengine.NewConfig().
		WithEndpoint("127.0.0.1:8970"). // the server, host:port
		WithDisableSSL(true).           // the local server speaks plain HTTP
		WithRegion("cn-beijing").
		WithCredentials(credentials.NewStaticCredentials(
			"AKLTdevlocal0000000000000000000000", "dGhpcyBpcyB0aGUgbG9jYWwgZGV2IHNlY3JldCBrZXk=", ""))
	sess, err := session.NewSession(config)
	if err != nil {
		panic(err)
	}
	client := kms.New(sess)
	if _, err := client.CreateSecret(&kms.CreateSecretInput{
		SecretName:  volcengine.String("go-secret"),
		SecretType:  volcengine.String("Generic"),
		SecretValue: volcengine.String("from go"),
	}); err != nil {
		panic(err)
	}
	out, err := client.GetSecretValue(&kms.GetSecretValueInput{SecretName: volcengine.String("go-secret")})
	if err != nil {
		panic(err)
	}
	fmt.Println(*out.SecretValue)
}
