package store

import (
	"database/sql"
	"fmt"
	"net/http"
	"strconv"

	"github.com/lib/pq"
)

var db *sql.DB

// userByID splices the query string's id into the statement.
func userByID(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	rows, err := db.Query("SELECT name FROM users WHERE id = " + id) // want `query built with \+ from id reaches Query at line 17`
	if err != nil {
		return
	}
	defer rows.Close()
}

// userByIDSafe passes the id as a placeholder argument.
func userByIDSafe(w http.ResponseWriter, r *http.Request) {
	rows, err := db.Query("SELECT name FROM users WHERE id = $1", r.URL.Query().Get("id"))
	if err != nil {
		return
	}
	defer rows.Close()
}

// userByName formats the name into a quoted literal, which a quote in the name ends.
func userByName(w http.ResponseWriter, r *http.Request) {
	q := fmt.Sprintf("SELECT id FROM users WHERE name = '%s'", r.FormValue("name"))
	db.QueryRow(q) // want `query built with fmt.Sprintf from r.FormValue\("name"\) reaches QueryRow`
}

// userByNumber converts the input to a number first.
func userByNumber(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.FormValue("n"))
	if err != nil {
		return
	}
	db.QueryRow("SELECT name FROM users WHERE id = " + strconv.Itoa(n))
}

// countIn quotes the table name as an identifier.
func countIn(table string) *sql.Row {
	return db.QueryRow(fmt.Sprintf("SELECT count(*) FROM %s", pq.QuoteIdentifier(table)))
}
