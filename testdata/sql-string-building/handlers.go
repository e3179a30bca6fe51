package store

import (
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/lib/pq"
)

var db *sql.DB

// userByID splices the query string's id into the statement.
func userByID(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	rows, err := db.Query("SELECT name FROM users WHERE id = " + id) // want `query built with \+ from id reaches Query at line 18`
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

var sortColumns = map[string]string{"name": "name", "date": "created_at"}

// sortedBy looks the column up in an allow-list.
func sortedBy(w http.ResponseWriter, r *http.Request) {
	col, ok := sortColumns[r.FormValue("sort")]
	if !ok {
		col = "name"
	}
	db.Query("SELECT id FROM users ORDER BY " + col)
}

// sortedSwitch picks the column in a switch over constants.
func sortedSwitch(w http.ResponseWriter, r *http.Request) {
	var col string
	switch r.FormValue("sort") {
	case "date":
		col = "created_at"
	default:
		col = "name"
	}
	db.Query(fmt.Sprintf("SELECT id FROM users ORDER BY %s", col))
}

// sortedRaw orders by whatever column the client names.
func sortedRaw(w http.ResponseWriter, r *http.Request) {
	col := "name"
	if s := r.FormValue("sort"); s != "" {
		col = s
	}
	db.Query("SELECT id FROM users ORDER BY " + col) // want `query built with \+ from col reaches Query`
}

// byIDs builds a placeholder list and trims its last comma.
func byIDs(w http.ResponseWriter, r *http.Request) {
	ids := r.Form["id"]
	ph := strings.Repeat("?,", len(ids))
	ph = ph[:len(ph)-1]
	args := make([]any, len(ids))
	for i, v := range ids {
		args[i] = v
	}
	db.Query("SELECT name FROM users WHERE id IN ("+ph+")", args...)
}
