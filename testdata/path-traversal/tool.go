package files

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
)

type shellParams struct {
	Command    string `json:"command"`
	WorkingDir string `json:"working_dir"`
}

func runIn(ctx context.Context, workspace string, input []byte) error {
	var p shellParams
	if err := json.Unmarshal(input, &p); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "make")
	cmd.Dir = workspace
	if p.WorkingDir != "" {
		cmd.Dir = p.WorkingDir // want `p.WorkingDir \(field of shellParams decoded from JSON at line 17\) reaches cmd.Dir at line 23 without a containment check`
	}
	return cmd.Run()
}

func runInSafe(ctx context.Context, workspace string, input []byte) error {
	var p shellParams
	if err := json.Unmarshal(input, &p); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "make")
	cmd.Dir = workspace
	if p.WorkingDir != "" && filepath.IsLocal(p.WorkingDir) {
		cmd.Dir = filepath.Join(workspace, p.WorkingDir)
	}
	return cmd.Run()
}
