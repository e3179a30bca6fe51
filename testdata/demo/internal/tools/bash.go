package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

const commandTimeout = 2 * time.Minute

// bannedCommands are refused outright.
var bannedCommands = []string{"mkfs", "fdisk", "dd", "shred", "shutdown"}

// BashParams are the parameters the model sends to the bash tool.
type BashParams struct {
	Command    string `json:"command"`
	WorkingDir string `json:"working_dir,omitempty"`
}

// BashTool runs a shell command for the model in the workspace.
type BashTool struct {
	Workspace string
}

// Name implements Tool.
func (t *BashTool) Name() string { return "bash" }

// Run implements Tool.
func (t *BashTool) Run(ctx context.Context, call Call) (Response, error) {
	var p BashParams
	if err := json.Unmarshal(call.Input, &p); err != nil {
		return TextErrorResponse("invalid parameters: " + err.Error()), nil
	}
	for _, field := range strings.Fields(p.Command) {
		if slices.Contains(bannedCommands, filepath.Base(field)) {
			return TextErrorResponse(fmt.Sprintf("command %q is not allowed", field)), nil
		}
	}

	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()

	cmd := exec.CommandContext(ctx, "sh", "-c", p.Command)
	cmd.Dir = t.Workspace
	if p.WorkingDir != "" {
		cmd.Dir = p.WorkingDir
	}
	return runCommand(ctx, cmd)
}

// ExecParams are the parameters the model sends to the exec tool.
type ExecParams struct {
	Program    string   `json:"program"`
	Args       []string `json:"args,omitempty"`
	WorkingDir string   `json:"working_dir,omitempty"`
}

// ExecTool is the safe counterpart of BashTool: it runs one program from an
// allow-list without a shell, so the model's text is never parsed as shell
// syntax, and only in a directory inside the workspace.
type ExecTool struct {
	Workspace string
	// Programs maps the names the model may use to absolute paths.
	Programs map[string]string
}

// Name implements Tool.
func (t *ExecTool) Name() string { return "exec" }

// Run implements Tool.
func (t *ExecTool) Run(ctx context.Context, call Call) (Response, error) {
	var p ExecParams
	if err := json.Unmarshal(call.Input, &p); err != nil {
		return TextErrorResponse("invalid parameters: " + err.Error()), nil
	}
	program, ok := t.Programs[p.Program]
	if !ok {
		return TextErrorResponse(fmt.Sprintf("program %q is not available", p.Program)), nil
	}
	dir, err := resolveDir(t.Workspace, p.WorkingDir)
	if err != nil {
		return TextErrorResponse(err.Error()), nil
	}

	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()

	cmd := exec.CommandContext(ctx, program, p.Args...)
	cmd.Dir = dir
	return runCommand(ctx, cmd)
}

// resolveDir returns the absolute form of a working directory given by the
// model, which must be inside root.
func resolveDir(root, dir string) (string, error) {
	if filepath.IsAbs(dir) {
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			return "", fmt.Errorf("working directory %q: %w", dir, err)
		}
		dir = rel
	}
	if dir != "" && !filepath.IsLocal(dir) {
		return "", fmt.Errorf("working directory %q is outside the workspace", dir)
	}
	return filepath.Join(root, dir), nil
}

// runCommand runs cmd and turns its output and exit status into a response.
func runCommand(ctx context.Context, cmd *exec.Cmd) (Response, error) {
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out

	err := cmd.Run()
	output := truncate(out.String(), 30000)

	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return TextResponse(output), nil
	case ctx.Err() != nil:
		return TextErrorResponse("command timed out\n" + output), nil
	case errors.As(err, &exitErr):
		return TextErrorResponse(fmt.Sprintf("exit status %d\n%s", exitErr.ExitCode(), output)), nil
	default:
		return Response{}, fmt.Errorf("run command: %w", err)
	}
}
