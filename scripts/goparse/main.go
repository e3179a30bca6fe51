// Command goparse reports, for every .go file under the folders given, whether the Go
// compiler's own parser (go/parser, without object resolution) accepts it.
//
//	goparse DIR...
//
// prints one line per file, sorted by path: "PATH\tok", or "PATH\tLINE:COL\tMESSAGE" with the
// position of go/parser's first error. goaudit's grammar parity test compares these lines with
// the files goaudit reports a parse-error for.
package main

import (
	"fmt"
	"go/parser"
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: goparse DIR...")
		os.Exit(2)
	}
	var files []string
	for _, root := range os.Args[1:] {
		found, err := goFiles(root)
		if err != nil {
			fmt.Fprintf(os.Stderr, "goparse: %v\n", err)
			os.Exit(2)
		}
		files = append(files, found...)
	}
	sort.Strings(files)
	out := make([]string, 0, len(files))
	for _, path := range files {
		out = append(out, path+"\t"+verdict(path))
	}
	fmt.Println(strings.Join(out, "\n"))
}

// goFiles lists the regular .go files under root, following no symbolic links.
func goFiles(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && strings.HasSuffix(path, ".go") {
			files = append(files, path)
		}
		return nil
	})
	return files, err
}

// verdict is "ok" when go/parser accepts the file, else its first error's position and message.
func verdict(path string) string {
	src, err := os.ReadFile(path)
	if err != nil {
		return "0:0\tunreadable: " + err.Error()
	}
	fset := token.NewFileSet()
	_, err = parser.ParseFile(fset, path, src, parser.SkipObjectResolution|parser.ParseComments)
	if err == nil {
		return "ok"
	}
	if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
		list.Sort()
		first := list[0]
		return fmt.Sprintf("%d:%d\t%s", first.Pos.Line, first.Pos.Column, oneLine(first.Msg))
	}
	return "0:0\t" + oneLine(err.Error())
}

func oneLine(s string) string {
	return strings.ReplaceAll(s, "\n", " ")
}
