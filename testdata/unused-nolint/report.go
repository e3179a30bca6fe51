package fixture

import (
	"bufio"
	"os"
	"strings"
)

// writeTypo misspells the linter: nothing is silenced and the finding is reported too.
func writeTypo(w *bufio.Writer, report string) {
	w.WriteString(report) //nolint:errchek // want "unknown linter `errchek` in //nolint \\(did you mean `errcheck`\\?\\)" `error returned by .*WriteString is not checked`
}

// ignoreTypo misspells a rule id.
func ignoreTypo(name string) bool {
	return strings.HasPrefix(name, ".") //goaudit:ignore ignored-eror // want "unknown rule `ignored-eror` in //goaudit:ignore \\(did you mean `ignored-error`\\?\\)"
}

// flushChecked handles the error its directive was written for.
func flushChecked(w *bufio.Writer) error {
	return w.Flush() //nolint:errcheck // want "`errcheck` in //nolint silences nothing: no ignored-error or unchecked-error finding here"
}

// removeChecked: a statement's directive outlived the error it silenced.
func removeChecked(path string) error {
	//goaudit:ignore unchecked-error removed twice is fine // want "`unchecked-error` in //goaudit:ignore silences nothing: no unchecked-error finding here"
	err := os.Remove(path)
	return err
}
