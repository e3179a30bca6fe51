package tools

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"strconv"
)

type convertRequest struct {
	Input  string `json:"input"`
	Format string `json:"format"`
}

// handleConvert decodes the body and builds a shell line from its fields.
func handleConvert(w http.ResponseWriter, r *http.Request) {
	var req convertRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		return
	}
	line := fmt.Sprintf("convert %s out.%s", req.Input, req.Format)
	exec.Command("bash", "-c", line).Run() // want `req.Input .* reaches exec.Command at line 23 through a shell \(bash -c\)`
}

// handleConvertArgs passes the same fields as arguments of a fixed program.
func handleConvertArgs(w http.ResponseWriter, r *http.Request) {
	var req convertRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		return
	}
	exec.Command("convert", "--", req.Input, "out."+req.Format).Run()
}

// handleRun runs the program named in the form.
func handleRun(w http.ResponseWriter, r *http.Request) {
	prog := r.FormValue("prog")
	exec.Command(prog).Run() // want `prog \(request data of handler handleRun\) reaches exec.Command at line 38 as the program name`
}

// handleTool picks the program from a switch over constants.
func handleTool(w http.ResponseWriter, r *http.Request) {
	var prog string
	switch r.FormValue("tool") {
	case "date":
		prog = "/bin/date"
	case "uptime":
		prog = "/usr/bin/uptime"
	default:
		http.Error(w, "unknown tool", http.StatusBadRequest)
		return
	}
	exec.Command(prog).Run()
}

// handleSleep converts the input to a number first.
func handleSleep(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.FormValue("n"))
	if err != nil {
		return
	}
	exec.Command("sh", "-c", "sleep "+strconv.Itoa(n)).Run()
}

type job struct {
	Script string
}

// buildScript copies the request into a struct field on its way to the shell.
func handleJob(w http.ResponseWriter, r *http.Request) {
	j := job{Script: "echo " + r.URL.Query().Get("msg")}
	runScript(j.Script)
}

// runScript runs a script through a shell; its caller decides where the text comes from.
func runScript(s string) {
	exec.Command("sh", "-c", s).Run() // want `reaches exec.Command at line 77 through a shell \(sh -c\) \(passed to runScript at line 72\)`
}
