package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"
)

// openChecked leaks db when the ping fails: the fix joins Close's error to the one returned,
// and imports errors.
func openChecked(ctx context.Context, dsn string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("ping: %w", err) // want `db opened at line 14 is not closed when db.PingContext fails`
	}
	return db, nil
}

// firstLine has named results and a bare return: the fix joins into err before it.
func firstLine(path string) (line string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	if line, err = readLine(f); err != nil {
		return // want `f opened at line 26 is not closed when readLine fails`
	}
	return line, f.Close()
}

// touch returns no error: the fix drops Close's in so many words, so nothing reports it.
func touch(path string, stamp []byte) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	if _, err := f.Write(stamp); err != nil {
		return // want `f opened at line 38 is not closed when f.Write fails`
	}
	_ = f.Close()
}

// successLeak returns a nil error where the rows stay open: the fix returns Close's error.
func successLeak(db *sql.DB) (int, error) {
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return 0, err
	}
	if !rows.Next() {
		return 0, nil // want `rows from db.Query at line 50 is not closed when !rows.Next\(\)`
	}
	return 1, rows.Close()
}

// withCause cancels with a cause: the fix passes one (nil).
func withCause(parent context.Context, ready bool) error {
	ctx, cancel := context.WithCancelCause(parent)
	if !ready {
		return fmt.Errorf("not ready") // want `cancel from context.WithCancelCause at line 62 is not called when !ready`
	}
	defer cancel(nil)
	return use(ctx)
}

// ticks stops a ticker, whose Stop returns nothing.
func ticks(n int) int {
	t := time.NewTicker(time.Millisecond)
	if n == 0 {
		return 0 // want `t from time.NewTicker at line 72 is not stopped when n == 0`
	}
	defer t.Stop()
	return n
}

// handedOut gives the cancel to the caller inside the closure it returns before the early
// return: releasing it there would cancel what the caller still uses, so no fix.
func handedOut(parent context.Context, fail bool) (func(), error) {
	ctx, cancel := context.WithCancel(parent)
	stop := func() { cancel() }
	if fail {
		return stop, use(ctx)
	}
	return stop, nil
}

// readAll reads the file in its return: closing before it would read a closed file, so no fix.
func readAll(path string, skip bool) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if skip {
		return nil, nil // want `f opened at line 93 is not closed when skip \(return at line 98\); also leaks at line 100`
	}
	return readBytes(f)
}

func readBytes(f *os.File) ([]byte, error) { return nil, nil }

func readLine(f *os.File) (string, error) { return "", nil }

func use(ctx context.Context) error { return ctx.Err() }
