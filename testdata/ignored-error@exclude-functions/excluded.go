package fixture

import (
	"bufio"
	"strconv"
)

func port(s string) int {
	n, _ := strconv.Atoi(s)
	return n + 1
}

func size(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64) // want `error from strconv\.ParseInt is discarded`
	return n + 1
}

func line(r *bufio.Reader) string {
	l, _ := r.ReadString('\n')
	return l + "x"
}
