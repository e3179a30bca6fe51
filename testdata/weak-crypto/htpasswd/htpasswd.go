// Package htpasswd checks passwords against entries of an Apache htpasswd file, whose older
// entries are SHA-1 (`{SHA}`) or MD5-crypt (`$apr1$`): the format dictates the hash, so the
// findings are `info`.
package htpasswd

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// CheckPassword reports whether password matches the stored entry.
func CheckPassword(entry, password string) bool {
	switch {
	case strings.HasPrefix(entry, "{SHA}"):
		sum := sha1.Sum([]byte(password)) // want `sha1.Sum used for a password in a file that reads the legacy \{SHA\} format`
		want := entry[len("{SHA}"):]
		return subtle.ConstantTimeCompare([]byte(want), []byte(base64.StdEncoding.EncodeToString(sum[:]))) == 1
	case strings.HasPrefix(entry, "$apr1$"):
		return subtle.ConstantTimeCompare([]byte(entry), []byte(aprPassword(password, entry[6:14]))) == 1
	}
	return bcrypt.CompareHashAndPassword([]byte(entry), []byte(password)) == nil
}

// aprPassword is a much simplified MD5-crypt of password with salt.
func aprPassword(password, salt string) string {
	h := md5.New() // want `md5.New used for a password in a file that reads the legacy`
	h.Write([]byte(password + "$apr1$" + salt))
	return "$apr1$" + salt + "$" + base64.RawStdEncoding.EncodeToString(h.Sum(nil))
}
