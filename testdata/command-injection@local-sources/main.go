package main

import (
	"flag"
	"os"
	"os/exec"
	"strconv"
)

// main runs the editor named on the command line or in the environment.
func main() {
	editor := flag.String("editor", "vi", "editor to run")
	flag.Parse()
	if len(os.Args) > 2 {
		exec.Command(os.Args[1], os.Args[2:]...).Run() // want `os.Args \(command line\) reaches exec.Command at line 15 as the program name`
	}
	exec.Command(*editor).Run() // want `command-line flag\) reaches exec.Command`
	exec.Command(os.Getenv("PAGER")).Run() // want `os.Getenv\("PAGER"\) \(environment variable\) reaches exec.Command`
	n, _ := strconv.Atoi(os.Getenv("COUNT"))
	exec.Command("seq", strconv.Itoa(n)).Run()
	exec.Command("git", "log", "--", os.Args[0]).Run()
}
