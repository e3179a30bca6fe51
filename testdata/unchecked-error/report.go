package fixture

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
)

// Store keeps reports.
type Store struct{ db *sql.DB }

func (s *Store) save(name string) error { return nil }

// writeReport drops three errors that lose data.
func writeReport(path, report string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `error returned by deferred \(\*os\.File\)\.Close is not checked: a failed close can lose buffered writes`
	w := bufio.NewWriter(f)
	w.WriteString(report) // want `error returned by \(\*bufio\.Writer\)\.WriteString is not checked: a short or failed write`
	w.Flush()             // want `error returned by \(\*bufio\.Writer\)\.Flush is not checked: data may not reach`
	return nil
}

// writeReportChecked is the fixed twin.
func writeReportChecked(path, report string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	if _, err := w.WriteString(report); err != nil {
		return err
	}
	return w.Flush()
}

func (s *Store) saveAll(names []string) {
	for _, n := range names {
		s.save(n) // want `error returned by \(\*fixture\.Store\)\.save is not checked`
	}
}

func (s *Store) saveAllChecked(names []string) error {
	for _, n := range names {
		if err := s.save(n); err != nil {
			return err
		}
	}
	return nil
}

func serve(srv *http.Server) {
	go srv.ListenAndServe() // want `error returned by \(\*http\.Server\)\.ListenAndServe, started with go, is not checked`
}

func encode(w http.ResponseWriter, v any) {
	json.NewEncoder(w).Encode(v) // want `error returned by \(\*json\.Encoder\)\.Encode is not checked`
}

func encodeChecked(w http.ResponseWriter, v any) error {
	return json.NewEncoder(w).Encode(v)
}

// The idioms a Go team writes on purpose stay silent.
func idioms(w http.ResponseWriter, db *sql.DB, path string) error {
	resp, err := http.Get("https://example.com")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.Query("select 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	defer os.Remove(path + ".tmp")
	fmt.Fprintf(w, "ok\n")
	fmt.Println("done")
	var buf bytes.Buffer
	buf.WriteString("x")
	var sb strings.Builder
	sb.WriteString("y")
	return tx.Commit()
}
