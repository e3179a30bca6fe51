package fixture

import (
	"bufio"
	"net/http"
	"os"
	"strings"
)

// writeBestEffort: the directive silences the unchecked WriteString.
func writeBestEffort(w *bufio.Writer, report string) {
	w.WriteString(report) //nolint:errcheck // best effort
}

// removeAll: a statement's directive, by rule id and by category.
func removeAll(a, b string) {
	//goaudit:ignore unchecked-error removing twice is fine
	os.Remove(a)
	//goaudit:ignore errors the same
	os.Remove(b)
}

// otherLinters: golangci-lint's linters goaudit does not model, or models in part, and
// comments naming every linter are never judged unused.
func otherLinters(name string) bool {
	long := strings.Repeat(name, 2) //nolint:lll,revive // a long line
	_ = long                        //nolint:gosec,staticcheck,gocyclo
	return len(name) > 3            //nolint
}

// notSelected: bodyclose's goaudit rule (unclosed-resource) and cyclomatic-complexity do not
// run here, so their comments cannot be judged.
//
//goaudit:ignore cyclomatic-complexity
func notSelected(c *http.Client, url string) (int, error) {
	resp, err := c.Get(url) //nolint:bodyclose // closed by the caller
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// keptOnPurpose: nolintlint's name silences this rule.
func keptOnPurpose(w *bufio.Writer) error {
	return w.Flush() //nolint:errcheck,nolintlint // kept for the old golangci-lint config
}
