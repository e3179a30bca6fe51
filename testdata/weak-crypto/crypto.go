package crypto

import (
	"crypto/des"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"math/rand"
)

func HashPassword(password string) string {
	sum := md5.Sum([]byte(password)) // want `md5.Sum used for a password: MD5 is broken`
	return hex.EncodeToString(sum[:])
}

func signPayload(body []byte) []byte {
	h := sha1.New() // want `sha1.New used for a signature`
	h.Write(body)
	return h.Sum(nil)
}

// cacheKey is a checksum, not a secret.
func cacheKey(url string) string {
	sum := md5.Sum([]byte(url))
	return hex.EncodeToString(sum[:])
}

// etag of a file's content.
func etag(content []byte) string {
	return hex.EncodeToString(sha1.New().Sum(content))
}

// hmacSignature uses SHA-1 inside HMAC, which is still sound.
func hmacSignature(key, body []byte) []byte {
	m := hmac.New(sha1.New, key)
	m.Write(body)
	return m.Sum(nil)
}

func encrypt(key []byte) {
	des.NewCipher(key) // want `DES/3DES is a broken cipher`
	rc4.NewCipher(key) // want `RC4 is a broken stream cipher`
}

const letters = "abcdefghijklmnopqrstuvwxyz0123456789"

func newSessionToken() string {
	b := make([]byte, 32)
	for i := range b {
		b[i] = letters[rand.Intn(len(letters))] // want `math/rand is predictable and makes this token`
	}
	return string(b)
}

// jitter for retries: math/rand is fine.
func jitter() int {
	return rand.Intn(100)
}

func strongHash(password []byte) [32]byte {
	return sha256.Sum256(password)
}
