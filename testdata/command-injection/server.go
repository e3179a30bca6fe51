package tools

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
)

// handlePing pings the host given in the query string through a shell.
func handlePing(w http.ResponseWriter, r *http.Request) {
	host := r.URL.Query().Get("host")
	out, err := exec.Command("sh", "-c", "ping -c 1 "+host).CombinedOutput() // want `host \(request data of handler handlePing\) reaches exec.Command at line 16 through a shell`
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.Write(out)
}

var hostRe = regexp.MustCompile(`^[a-z0-9.-]+$`)

// handlePingSafe checks the host against a pattern first.
func handlePingSafe(w http.ResponseWriter, r *http.Request) {
	host := r.FormValue("host")
	if !hostRe.MatchString(host) {
		http.Error(w, "bad host", http.StatusBadRequest)
		return
	}
	out, _ := exec.Command("sh", "-c", "ping -c 1 "+host).CombinedOutput()
	w.Write(out)
}

// handleCount converts the input to a number before it goes near a shell.
func handleCount(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.FormValue("n"))
	if err != nil {
		return
	}
	out, _ := exec.Command("sh", "-c", fmt.Sprintf("seq %d", n)).Output()
	w.Write(out)
}

// runHook runs a shell snippet; its callers decide where the text comes from.
func runHook(script string) error {
	return exec.Command("/bin/sh", "-c", script).Run() // want `os.Getenv\("HOOK"\) \(environment variable\) reaches exec.Command at line 49 through a shell \(sh -c\) \(passed to runHook at line 54\)`
}

// StartHook runs the hook named by the environment.
func StartHook() error {
	return runHook(os.Getenv("HOOK"))
}

// StartDefaultHook runs a constant hook.
func StartDefaultHook() error {
	return runHook("echo started")
}

// Main runs the editor named on the command line: whoever runs it owns the machine already
// (reported with local-sources = true).
func Main() error {
	editor := flag.String("editor", "vi", "editor to run")
	flag.Parse()
	if len(os.Args) > 2 {
		return exec.Command(os.Args[1], os.Args[2:]...).Run()
	}
	return exec.Command(*editor).Run()
}

// Exported library function: its parameter is the caller's business unless exported-params is set.
func Exec(name string, args ...string) error {
	return exec.Command(name, args...).Run()
}
