package secrets

// Values an installed app ships in obscured or encrypted form, and identifiers: no plaintext
// credential among them.
const (
	appEncryptedClientSecret = "hT4qWm8ZpLx2Vb7NcRk5YsJd9GfEa3Uo6MiKt1XwQz0Pj-gHvBnCr_yD"
	appObscuredClientSecret  = "Qm3Lp9Xv2Bn7Kc5Wz8Hd4Rt6Yj1Fs0Ga-uEoPiMkNq"
	hashedAdminPassword      = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
	storageAccessKeyID       = "MTk4NzY1NDMyMTAxMjM0NTY3ODk"
	sessionTokenHeader       = "X-Amz-Security-Token"
	customerSecretHeader     = "X-Amz-Server-Side-Encryption-Customer-Key-MD5"
	refreshTokenField        = "refresh_token_expires_in2"
	signingSecretKey         = "x_amz_server_side_encryption_key2"
	upstreamAuthToken        = "X-Amz-Security-Token-V2"
)

// Their twins: the same kind of values under names that hold the credential itself.
const (
	appClientSecret  = "hT4qWm8ZpLx2Vb7NcRk5YsJd9GfEa3Uo6MiKt1XwQz0Pj-gHvBnCr_yD" // want `appClientSecret holds a hard-coded high-entropy credential`
	storageAccessKey = "MTk4NzY1NDMyMTAxMjM0NTY3ODk"                              // want `storageAccessKey holds a hard-coded`
	sessionToken     = "X-7fQ2xN9vLr4KpT8wZc1m"                                   // want `sessionToken holds a hard-coded`
	awsSecretKey     = "k9Rz2Qm7Lp4Xv8Bn3Kc6Wz1Hd5Rt0Yj+Fs/Ga2uEo"                // want `awsSecretKey holds a hard-coded`
)

// A key in a known format is reported whatever its name says.
const encryptedPrivateKey = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----" // want `looks like a private key`
