package fixture

import "os"

func chmod(path string) {
	os.Chmod(path, 0o600) // want `error returned by os\.Chmod is not checked`
}
