package scan

import (
	"errors"
	"io"
	"net"
	"os"
)

// firstReadable defers one Close at most: after the defer every path returns, so the loop never
// comes round again with a file held.
func firstReadable(paths []string) ([]byte, error) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close()
		return io.ReadAll(f)
	}
	return nil, errors.New("none readable")
}

// firstConfig leaves the loop by break once a file is open.
func firstConfig(paths []string) (string, error) {
	var name string
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close()
		name = f.Name()
		break
	}
	return name, nil
}

// firstWithHeader returns on both branches after the defer.
func firstWithHeader(paths []string) ([]byte, error) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			return nil, err
		} else {
			return b, nil
		}
	}
	return nil, errors.New("none readable")
}

// readEvery keeps looping after the defer: every file stays open until it returns.
func readEvery(paths []string) ([]byte, error) {
	var out []byte
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close() // want `defer f\.Close\(\) inside a loop`
		b, err := io.ReadAll(f)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	return out, nil
}

// firstNonEmpty may continue after the defer, so the loop can come round with a file held.
func firstNonEmpty(paths []string) ([]byte, error) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close() // want `defer f\.Close\(\) inside a loop`
		b, err := io.ReadAll(f)
		if len(b) == 0 {
			continue
		}
		return b, err
	}
	return nil, errors.New("all empty")
}

// firstInSwitch breaks only out of the switch, not the loop.
func firstInSwitch(paths []string) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return
		}
		defer f.Close() // want `defer f\.Close\(\) inside a loop`
		switch f.Name() {
		case "":
			break
		}
	}
}

// dialAll needs every connection after the loop: closing each at the end of its iteration
// would break the writes below.
func dialAll(addrs []string) error {
	var conns []net.Conn
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			return err
		}
		defer c.Close()
		conns = append(conns, c)
	}
	for _, c := range conns {
		if _, err := c.Write([]byte("ping")); err != nil {
			return err
		}
	}
	return nil
}

// dialByName keeps each connection in a map the function reads after the loop.
func dialByName(addrs []string) (int, error) {
	byName := map[string]net.Conn{}
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			return 0, err
		}
		defer c.Close()
		byName[a] = c
	}
	return len(byName), nil
}

// pingEach uses each connection only inside its iteration, yet all stay open until the end.
func pingEach(addrs []string) error {
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			return err
		}
		defer c.Close() // want `defer c\.Close\(\) inside a loop`
		if _, err := c.Write([]byte("ping")); err != nil {
			return err
		}
	}
	return nil
}

// pingLocal copies the connection into a variable of the iteration only: still one per loop.
func pingLocal(addrs []string) error {
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			return err
		}
		defer c.Close() // want `defer c\.Close\(\) inside a loop`
		conn := c
		if _, err := conn.Write([]byte("ping")); err != nil {
			return err
		}
	}
	return nil
}

// closeEach records each Close error in an outer variable: the connection itself stays in its
// iteration.
func closeEach(addrs []string) error {
	var last error
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			return err
		}
		defer c.Close() // want `defer c\.Close\(\) inside a loop`
		_, last = c.Write([]byte("ping"))
	}
	return last
}

// dialHeld keeps each connection in a variable declared with var in the iteration: not kept.
func dialHeld(addrs []string) error {
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			return err
		}
		defer c.Close() // want `defer c\.Close\(\) inside a loop`
		var held net.Conn
		held = c
		if _, err := held.Write([]byte("ping")); err != nil {
			return err
		}
	}
	return nil
}

// firstAfterIf leaves the loop after the if that holds the defer.
func firstAfterIf(paths []string, wanted string) ([]byte, error) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		if f.Name() == wanted {
			defer f.Close()
		}
		return io.ReadAll(f)
	}
	return nil, errors.New("no paths")
}

// writeEach passes each file to a call whose results it keeps: the file itself is not kept.
func writeEach(paths []string, text string) error {
	var err error
	for _, p := range paths {
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		defer f.Close() // want `defer f\.Close\(\) inside a loop`
		_, err = io.WriteString(f, text)
		if err != nil {
			return err
		}
	}
	return err
}

type pipe struct {
	f    *os.File
	path string
}

// readPipes keeps each file inside a struct in an outer slice, read after the loop.
func readPipes(paths []string) (int, error) {
	pipes := make([]*pipe, len(paths))
	for i, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		pipes[i] = &pipe{f, p}
	}
	total := 0
	for _, p := range pipes {
		b, err := io.ReadAll(p.f)
		if err != nil {
			return 0, err
		}
		total += len(b)
	}
	return total, nil
}
