package tools

import (
	"context"
	"encoding/json"
	"os/exec"
)

// BashParams are what the model sends to the shell tool.
type BashParams struct {
	Command string `json:"command"`
	Program string `json:"program"`
}

// RunTool decodes the model's call and runs it through a shell.
func RunTool(ctx context.Context, input []byte) ([]byte, error) {
	var p BashParams
	if err := json.Unmarshal(input, &p); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "sh", "-c", p.Command) // want `p.Command \(field of BashParams decoded from JSON at line 18\) reaches exec.CommandContext at line 21 through a shell \(sh -c\)`
	return cmd.CombinedOutput()
}

// Run takes already-decoded parameters: the type is decoded in RunTool, so its fields are
// outside input wherever a value of it flows.
func Run(ctx context.Context, p BashParams) ([]byte, error) {
	return exec.CommandContext(ctx, "bash", "-c", "set -e; "+p.Command).Output() // want `through a shell \(bash -c\)`
}

// RunProgram lets the model name the program.
func RunProgram(ctx context.Context, p BashParams) error {
	return exec.CommandContext(ctx, p.Program).Run() // want `p.Program .* as the program name`
}

var programs = map[string]string{"ls": "/bin/ls", "git": "/usr/bin/git"}

// RunAllowed looks the program up in an allow-list: the model names, the tool decides.
func RunAllowed(ctx context.Context, p BashParams) error {
	prog, ok := programs[p.Program]
	if !ok {
		return nil
	}
	return exec.CommandContext(ctx, prog, p.Command).Run()
}

// RunSwitch allows a fixed set of programs.
func RunSwitch(ctx context.Context, p BashParams) error {
	switch p.Program {
	case "ls", "pwd":
		return exec.CommandContext(ctx, p.Program).Run()
	}
	return nil
}

// RunArgs passes the model's text as an argument of a fixed program, without a shell.
func RunArgs(ctx context.Context, p BashParams) error {
	return exec.CommandContext(ctx, "grep", "-r", "--", p.Command, ".").Run()
}

// ToolCall is how the agent framework hands a tool its model-written input.
type ToolCall struct {
	Name  string
	input []byte
}

// GetInput returns the raw JSON the model wrote.
func (c ToolCall) GetInput() []byte { return c.input }

type grepParams struct {
	Pattern string `json:"pattern"`
}

// RunGrep decodes the call's input through a getter and builds a shell line from it.
func RunGrep(ctx context.Context, call ToolCall) ([]byte, error) {
	var p grepParams
	if err := json.Unmarshal(call.GetInput(), &p); err != nil {
		return nil, err
	}
	return exec.CommandContext(ctx, "sh", "-c", "grep -rn '"+p.Pattern+"' .").Output() // want `p.Pattern \(field of grepParams decoded from JSON at line 77\) reaches exec.CommandContext at line 80 through a shell`
}
