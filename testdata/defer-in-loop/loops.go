// Package scan reads many files and rows in loops.
package scan

import (
	"bufio"
	"context"
	"database/sql"
	"os"
	"sync"
	"time"
)

// CountLines keeps every file open until it returns.
func CountLines(paths []string) (int, error) {
	total := 0
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		defer f.Close() // want `defer f.Close\(\) inside a loop runs only when the function returns: every f acquired at line 17 stays open until CountLines returns`
		s := bufio.NewScanner(f)
		for s.Scan() {
			total++
		}
	}
	return total, nil
}

// CountLinesSafe closes each file in a function of its own.
func CountLinesSafe(paths []string) (int, error) {
	total := 0
	for _, p := range paths {
		n, err := countFile(p)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

func countFile(p string) (int, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	s := bufio.NewScanner(f)
	for s.Scan() {
		n++
	}
	return n, s.Err()
}

// CountLinesClosure uses a function literal per iteration: its defer runs each time.
func CountLinesClosure(paths []string) int {
	total := 0
	for _, p := range paths {
		func() {
			f, err := os.Open(p)
			if err != nil {
				return
			}
			defer f.Close()
			s := bufio.NewScanner(f)
			for s.Scan() {
				total++
			}
		}()
	}
	return total
}

// CloseAll defers the close of files opened elsewhere: delayed, not accumulated.
func CloseAll(files []*os.File) {
	for _, f := range files {
		defer f.Close()
	}
}

// Migrate begins one transaction per statement and never finishes any until the end.
func Migrate(ctx context.Context, db *sql.DB, stmts []string) error {
	for _, q := range stmts {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback() }() // want `every tx acquired at line 86 stays open until Migrate returns`
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Drain locks in a loop and defers the unlock: the second iteration deadlocks.
func Drain(mu *sync.Mutex, queue []func()) {
	for _, job := range queue {
		mu.Lock()
		defer mu.Unlock() // want `mu locked at line 104 stays locked until Drain returns`
		job()
	}
}

// Poll creates a timeout per attempt and cancels them all only at the end.
func Poll(ctx context.Context, try func(context.Context) bool) {
	for i := 0; i < 3; i++ {
		attempt, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want `the context created at line 113 stays alive until Poll returns`
		if try(attempt) {
			return
		}
	}
}
