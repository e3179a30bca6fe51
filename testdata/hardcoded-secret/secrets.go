package secrets

import "os"

const (
	apiKeyEnv    = "CODESEARCH_API_KEY"
	sharedAPIKey = "sk-live-7fQ2xN9vLr4KpT8wZc1mYb6HdJ3sEa5U" // want `looks like an API secret key`
	awsKeyID     = "AKIAIOSFODNN7EXAMPL3"                     // want `looks like an AWS access key id`
	dbPassword   = "Tr0ub4dor&3-horse-battery"               // want `dbPassword holds a hard-coded high-entropy credential`
	passwordHint = "at least 12 characters"
	defaultToken = "changeme"
	tokenHeader  = "X-Auth-Token"
)

type Config struct {
	ClientSecret string
	Endpoint     string
}

var cfg = Config{
	ClientSecret: "9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c", // want `ClientSecret holds a hard-coded high-entropy credential`
	Endpoint:     "https://auth.example.com/oauth/token",
}

func login(password string) bool {
	return password == "hunter2-Qx9!zW7#pL" // want `password holds a hard-coded`
}

func fromEnv() string {
	token := os.Getenv(apiKeyEnv)
	if token == "" {
		token = ""
	}
	return token
}

func placeholders() []string {
	apiKey := "<your-api-key-here>"
	secret := "${SECRET}"
	password := "xxxxxxxxxxxxxxxx"
	return []string{apiKey, secret, password}
}

const privateKey = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----" // want `looks like a private key`
