package fixture

import (
	"bufio"
	"io"
	"os"
)

// save drops errors of excluded calls only where the exclusion names them exactly.
func save(path string, w *bufio.Writer, c io.Closer, f *os.File) {
	os.Chmod(path, 0o600)
	os.Chown(path, 0, 0) // want `error returned by os\.Chown is not checked`
	w.Flush()
	w.WriteString("x") // want `error returned by \(\*bufio\.Writer\)\.WriteString is not checked`
	c.Close()
	f.Close() // want `error returned by \(\*os\.File\)\.Close is not checked`
}

// flusher reaches Close through an interface embedding io.Closer.
type flusher interface {
	io.Closer
	Flush() error
}

func shut(x flusher) {
	x.Close()
	x.Flush() // want `error returned by \(.*flusher\)\.Flush is not checked`
}
