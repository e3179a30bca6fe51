// Command agentd is the agent service: it keeps conversation sessions,
// serves them over HTTP to the UI and runs the tool calls the model makes.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"example.com/agentd/internal/agent"
	"example.com/agentd/internal/codesearch"
	"example.com/agentd/internal/config"
	"example.com/agentd/internal/db"
	"example.com/agentd/internal/registry"
	"example.com/agentd/internal/server"
	"example.com/agentd/internal/session"
	"example.com/agentd/internal/tools"
)

func main() {
	configPath := flag.String("config", "agentd.json", "settings file")
	flag.Parse()
	if err := run(*configPath); err != nil {
		fmt.Fprintln(os.Stderr, "agentd:", err)
		os.Exit(1)
	}
}

func run(configPath string) error {
	cfg, err := config.Load(configPath)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	database, err := db.Connect(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer database.Close()

	store := db.NewStore(database)
	events := session.NewBroker()
	defer events.Close()

	reg := registry.New()
	reg.Register(&tools.BashTool{Workspace: cfg.Workspace})
	reg.Register(&tools.ExecTool{Workspace: cfg.Workspace, Programs: lookPrograms(cfg.AllowedPrograms)})
	reg.Register(&tools.FetchTool{Client: &http.Client{Timeout: 30 * time.Second}})
	if client, err := codesearch.NewClientFromEnv(cfg.SearchURL); err != nil {
		slog.Warn("search tool disabled", "error", err)
	} else {
		reg.Register(&tools.SearchTool{Client: client})
	}
	agent.Heartbeat(ctx, time.Minute, func(time.Time) { reg.PruneCache() })

	coordinator := agent.NewCoordinator(reg, time.Duration(cfg.ToolTimeoutSecs)*time.Second)
	srv := server.New(session.NewService(store, events), store, events, coordinator)
	slog.Info("agentd starting", "addr", cfg.Addr, "workspace", cfg.Workspace)
	return srv.Serve(ctx, cfg.Addr)
}

// lookPrograms resolves the allowed program names to absolute paths,
// leaving out the ones that are not installed.
func lookPrograms(names []string) map[string]string {
	programs := make(map[string]string, len(names))
	for _, name := range names {
		path, err := exec.LookPath(name)
		if err != nil {
			slog.Warn("program not installed", "program", name)
			continue
		}
		programs[name] = path
	}
	return programs
}
