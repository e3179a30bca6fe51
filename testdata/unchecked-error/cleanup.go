package fixture

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
)

// Best-effort cleanup after the first error: the error returned is the one the caller needs,
// and a second one could not be returned beside it. Silent.
func transfer(db *sql.DB, from, to string) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	if _, err := tx.Exec("update accounts set n = n - 1 where id = ?", from); err != nil {
		tx.Rollback()
		return fmt.Errorf("debit %s: %w", from, err)
	}
	return tx.Commit()
}

func writeAtomically(path string, data []byte) error {
	tmp, err := os.CreateTemp("", "out")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		// the temporary file is not wanted any more
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func runWithInput(cmd *exec.Cmd, feed func() error) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := feed(); err != nil {
		cmd.Process.Kill()
		return err
	}
	return cmd.Wait()
}

// The bug twins: the same calls on a path that returns success lose the only error there is.
func transferQuietly(db *sql.DB, from string) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	if _, err := tx.Exec("update accounts set n = n - 1 where id = ?", from); err != nil {
		tx.Rollback() // want `error returned by \(\*sql\.Tx\)\.Rollback is not checked`
		return nil
	}
	return tx.Commit()
}

func replace(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	f.Close()               // want `error returned by \(\*os\.File\)\.Close is not checked`
	os.Remove(path + ".bak") // want `error returned by os\.Remove is not checked`
	return nil
}
