// Command vuln calls strconv.Atoi, which the tests' made-up database marks vulnerable, and
// imports strings without calling its "vulnerable" Repeat.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

func main() {
	n, err := strconv.Atoi(os.Args[1])
	fmt.Println(n, err, strings.ToUpper("x"))
}
