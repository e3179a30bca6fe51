package tlsconf

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
)

func insecureClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // want `TLS certificate verification is disabled`
	}}
}

func oldVersions() *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS10, // want `MinVersion tls.VersionTLS10 allows TLS versions below 1.2`
	}
}

func weakSuites() *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		CipherSuites: []uint16{ // want `CipherSuites lists suites Go considers insecure`
			tls.TLS_RSA_WITH_RC4_128_SHA,
			tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
		},
	}
}

func assigned(cfg *tls.Config) {
	cfg.InsecureSkipVerify = true // want `TLS certificate verification is disabled`
}

// withCA trusts a private CA and still verifies.
func withCA(pool *x509.CertPool) *tls.Config {
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

// configurable leaves the choice to the operator's configuration.
func configurable(skip bool) *tls.Config {
	return &tls.Config{InsecureSkipVerify: skip, MinVersion: tls.VersionTLS13}
}

func modern() *tls.Config {
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384},
	}
}

type Options struct {
	UseTLS            bool
	SkipVerifyTLSCert bool
	insecure          bool
}

// optIn turns verification off only when the user set an option that says so: medium.
func optIn(o Options) *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if o.SkipVerifyTLSCert {
		cfg.InsecureSkipVerify = true // want `disabled when o.SkipVerifyTLSCert is set`
	}
	if o.insecure {
		return &tls.Config{InsecureSkipVerify: true} // want `disabled when o.insecure is set`
	}
	return cfg
}

// alwaysWithTLS turns verification off whenever TLS is on: nobody can have it verified.
func alwaysWithTLS(o Options) *tls.Config {
	if o.UseTLS {
		return &tls.Config{InsecureSkipVerify: true} // want `verification is disabled \(InsecureSkipVerify: true\): anyone`
	}
	return nil
}
