#!/usr/bin/env python3
"""`goaudit server` tested as an editor uses it: a Language Server Protocol client (Python 3
standard library only, tests/lsp/lspclient.py) talking JSON-RPC over the server's standard
input and output, on a copy of testdata/demo in a temporary folder (the repository is never
edited).

    python3 tests/lsp/client_test.py BINARY

Each scenario is printed as it passes; the exit code is 0 when all pass, 1 otherwise (with
what was expected and what came). Every wait for a message has a deadline (20 s), so a server
that hangs fails the test instead of blocking it.
"""

import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

from lspclient import (
    DIAGNOSTICS,
    LspFailure,
    Server,
    apply_edits,
    character_of,
    uri,
)

REPO = pathlib.Path(__file__).resolve().parents[2]
DEMO = REPO / "testdata" / "demo"
CONNECT = "internal/db/connect.go"
# The finding the scenarios edit away: Connect leaks db when migrate.Up fails.
LEAK = "db opened at line 35 is not closed when migrate.Up fails (return at line 47)"
LEAK_RETURN = '\t\treturn nil, fmt.Errorf("failed to apply migrations: %w", err)\n'
SEVERITY = {"critical": 1, "high": 1, "medium": 2, "low": 3, "info": 4}
ERROR, WARNING = 1, 2


class Context:
    """The binary under test and a temporary folder for demo copies and the cache."""

    def __init__(self, binary, tmp):
        self.binary = binary
        self.tmp = tmp
        self.cache = tmp / "cache"
        self.copies = 0

    def demo(self):
        """A fresh copy of testdata/demo."""
        self.copies += 1
        dest = self.tmp / f"demo{self.copies}"
        shutil.copytree(DEMO, dest)
        return dest

    def server(self, root, encodings=("utf-16",)):
        """A server, initialized with `root` as its workspace folder: (server, result)."""
        server = Server(self.binary, ["--cache-dir", self.cache])
        try:
            return server, server.initialize(root, encodings)
        except BaseException:
            server.kill()
            raise

    def audit(self, cwd, *args, stdin=None):
        """`BINARY audit ARGS --format json --no-cache` in `cwd`: its findings."""
        run = subprocess.run(
            [str(self.binary), "audit", *args, "--format", "json", "--no-cache", "-q"],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if run.returncode not in (0, 1):
            what = " ".join(args)
            raise LspFailure(f"goaudit audit {what} exited {run.returncode}: {run.stderr}")
        try:
            return json.loads(run.stdout)["findings"]
        except (ValueError, KeyError) as e:
            what = " ".join(args)
            raise LspFailure(f"goaudit audit {what}: no JSON report ({e}): {run.stdout[:500]!r}")


# -- checks ---------------------------------------------------------------------------------


def expect(condition, message):
    if not condition:
        raise LspFailure(message)


def codes(diagnostics):
    return sorted(d.get("code") for d in diagnostics)


def leak_diagnostics(diagnostics):
    return [d for d in diagnostics if d.get("code") == "unclosed-resource" and d["message"] == LEAK]


def expected_diagnostic(finding, root, text, encoding):
    """What a finding of `goaudit audit` should be published as, for a file with `text`."""
    lines = text.split("\n")

    def position(pos):
        line = lines[pos["line"] - 1] if pos["line"] <= len(lines) else ""
        return (pos["line"] - 1, character_of(line, pos["column"], encoding))

    loc = finding["location"]
    related = sorted(
        (r["message"], uri(root / r["location"]["file"]), r["location"]["start"]["line"] - 1)
        for r in finding.get("related", [])
    )
    return (
        finding["rule"],
        SEVERITY[finding["severity"]],
        position(loc["start"]),
        position(loc["end"]),
        finding["message"],
        tuple(related),
    )


def published(diagnostic):
    """A published diagnostic in the shape of `expected_diagnostic`."""
    r = diagnostic["range"]
    related = sorted(
        (x["message"], x["location"]["uri"], x["location"]["range"]["start"]["line"])
        for x in diagnostic.get("relatedInformation", [])
    )
    return (
        diagnostic.get("code"),
        diagnostic.get("severity"),
        (r["start"]["line"], r["start"]["character"]),
        (r["end"]["line"], r["end"]["character"]),
        diagnostic["message"],
        tuple(related),
    )


def check_shape(diagnostic):
    """The fields every goaudit diagnostic carries: source, rule id and its docs link."""
    expect(diagnostic.get("source") == "goaudit", f"source is not goaudit: {diagnostic}")
    href = diagnostic.get("codeDescription", {}).get("href", "")
    rule = diagnostic["code"]
    expect(href.endswith("#" + rule), f"codeDescription.href {href!r} for {rule}")


def fixed_text(original):
    """connect.go with the leak fixed by hand: db closed before the migrate error return."""
    expect(original.count(LEAK_RETURN) == 1, f"{CONNECT} no longer has the return at line 47")
    return original.replace(LEAK_RETURN, "\t\tdb.Close()\n" + LEAK_RETURN)


# -- a. position encodings ------------------------------------------------------------------


def scenario_a_encodings(ctx):
    """initialize answers positionEncoding utf-16 when the client offers only utf-16 and utf-8
    when it offers utf-8 (two server processes), with full text sync, saves and quick fixes;
    the server asks to watch goaudit.toml, go.mod and go.work since the client can register
    file watchers."""
    root = ctx.demo()
    for offered, answer in ((["utf-16"], "utf-16"), (["utf-8", "utf-16"], "utf-8")):
        server, result = ctx.server(root, offered)
        try:
            caps = result["capabilities"]
            got = caps.get("positionEncoding")
            expect(got == answer, f"offered {offered}, answered {got!r}")
            sync = caps.get("textDocumentSync", {})
            expect(sync.get("change") == 1 and sync.get("openClose"), f"textDocumentSync {sync}")
            kinds = caps.get("codeActionProvider", {}).get("codeActionKinds")
            expect(kinds == ["quickfix"], f"codeActionProvider {caps}")
            register = "client/registerCapability"
            server.wait_for(lambda m: m.get("method") == register, register)
            watched = json.dumps(server.server_requests)
            for name in ("goaudit.toml", "go.mod", "go.work"):
                expect(f"**/{name}" in watched, f"no watcher for {name}: {watched}")
            expect(server.stop() == 0, "exit code after shutdown")
        finally:
            server.kill()


# -- b. diagnostics equal the command line's findings ---------------------------------------


def scenario_b_every_file(ctx):
    """Every .go file of the demo opened: the diagnostics published for each (rule, mapped
    severity, 0-based range in UTF-16, message, related locations) are exactly the findings of
    `goaudit audit ./... --format json --no-cache` in that file, so the editor shows what CI
    reports."""
    root = ctx.demo()
    findings = ctx.audit(root, "./...")
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.go"))
    expect(len(files) > 10, f"only {len(files)} Go files in the demo copy")
    server, _ = ctx.server(root)
    try:
        texts = {rel: (root / rel).read_text() for rel in files}
        for rel in files:
            server.open(root / rel, texts[rel])
        for rel in files:
            got = server.diagnostics(root / rel, 1)
            for d in got:
                check_shape(d)
            mine = [f for f in findings if f["location"]["file"] == rel]
            want = {expected_diagnostic(f, root, texts[rel], "utf-16") for f in mine}
            have = {published(d) for d in got}
            missing, extra = sorted(want - have), sorted(have - want)
            expect(have == want, f"{rel}: not the audit's:\n  missing {missing}\n  extra {extra}")
            expect(len(got) == len(have), f"{rel}: a diagnostic published twice: {got}")
        in_connect = [f for f in findings if f["location"]["file"] == CONNECT]
        expect(in_connect, f"the audit has no finding in {CONNECT}")
    finally:
        server.kill()


# -- c. unsaved edits -----------------------------------------------------------------------


def scenario_c_unsaved_edit(ctx):
    """An edit to connect.go's buffer that closes db on the migrate error path (not saved):
    the unclosed-resource diagnostic is gone from the diagnostics published for that version,
    and the file on disk is untouched; the buffer reverted, the diagnostic comes back; the
    buffer closed, its diagnostics are cleared."""
    root = ctx.demo()
    path = root / CONNECT
    original = path.read_text()
    server, _ = ctx.server(root)
    try:
        server.open(path, original, 1)
        expect(leak_diagnostics(server.diagnostics(path, 1)), "no leak diagnostic at version 1")
        server.change(path, fixed_text(original), 2)
        after = server.diagnostics(path, 2)
        expect(not leak_diagnostics(after), f"the leak is still reported after the fix: {after}")
        expect(path.read_text() == original, "the file on disk changed")
        server.change(path, original, 3)
        back = leak_diagnostics(server.diagnostics(path, 3))
        at_47 = {"line": 46, "character": 2}
        expect(len(back) == 1 and back[0]["range"]["start"] == at_47, f"reverted: {back}")
        server.notify("textDocument/didClose", {"textDocument": {"uri": uri(path)}})
        cleared = server.wait_for(
            lambda m: m.get("method") == DIAGNOSTICS
            and m["params"]["uri"] == uri(path)
            and "version" not in m["params"],
            "the diagnostics cleared on didClose",
        )
        expect(cleared["params"]["diagnostics"] == [], f"after didClose: {cleared}")
    finally:
        server.kill()


# -- d. code actions ------------------------------------------------------------------------


def scenario_d_code_actions(ctx):
    """Code actions at the leak's range, in each position encoding, on a buffer whose line 47
    has non-ASCII characters in a string (so UTF-8 and UTF-16 positions differ at its end): the
    diagnostic sits where `goaudit audit --stdin-filename` puts the finding, both actions come
    (the unsafe fix, labelled, and the //nolint suppression), and each edit applied by the
    client to the buffer and sent back makes the diagnostic go."""
    root = ctx.demo()
    path = root / CONNECT
    wide = LEAK_RETURN.replace("migrations", "migrations é𝄞")
    original = path.read_text().replace(LEAK_RETURN, wide)
    findings = ctx.audit(root, "--stdin-filename", CONNECT, "-", stdin=original)
    leaks = [f for f in findings if f["message"] == LEAK]
    expect(len(leaks) == 1, f"--stdin-filename: no single leak finding in {findings}")
    for encoding in ("utf-16", "utf-8"):
        server, _ = ctx.server(root, [encoding])
        try:
            code_actions_in(server, path, original, leaks[0], root, encoding)
        finally:
            server.kill()


def code_actions_in(server, path, original, finding, root, encoding):
    server.open(path, original, 1)
    leak = leak_diagnostics(server.diagnostics(path, 1))
    expect(len(leak) == 1, f"{encoding}: no leak diagnostic")
    want = expected_diagnostic(finding, root, original, encoding)
    got = published(leak[0])[2:4]
    expect(got == want[2:4], f"{encoding}: range {got}, expected {want[2:4]}")
    actions = code_actions(server, path, leak)
    titles = [a["title"] for a in actions]
    fix = [a for a in actions if a["title"].startswith("Fix (unsafe: may change behaviour): ")]
    nolint = "Suppress unclosed-resource with //nolint:unclosed-resource"
    suppress = [a for a in actions if a["title"] == nolint]
    expect(len(fix) == 1 and len(suppress) == 1, f"{encoding}: actions {titles}")
    for action in actions:
        expect(action.get("kind") == "quickfix", f"{encoding}: kind of {action['title']}")

    silenced = apply_action(suppress[0], path, original, encoding)
    line47 = silenced.split("\n")[46]
    expect(line47.endswith("//nolint:unclosed-resource"), f"{encoding}: suppressed as {line47!r}")
    server.change(path, silenced, 2)
    after = server.diagnostics(path, 2)
    expect(not leak_diagnostics(after), f"{encoding}: still reported after //nolint: {after}")

    fixed = apply_action(fix[0], path, original, encoding)
    expect(fixed.count("db.Close()") > original.count("db.Close()"),
           f"{encoding}: the fix did not close db:\n{fixed}")
    server.change(path, fixed, 3)
    after = server.diagnostics(path, 3)
    expect(not leak_diagnostics(after), f"{encoding}: still reported after the fix: {after}")
    expect("parse-error" not in codes(after), f"{encoding}: the fix broke the file: {after}")


def code_actions(server, path, diagnostics):
    """The code actions at the first diagnostic's range."""
    return server.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri(path)},
            "range": diagnostics[0]["range"],
            "context": {"diagnostics": diagnostics},
        },
    )


def apply_action(action, path, text, encoding):
    """The buffer with the action's WorkspaceEdit (a `changes` map for this file) applied."""
    changes = action.get("edit", {}).get("changes", {})
    expect(list(changes) == [uri(path)], f"edit of {action['title']} changes {list(changes)}")
    return apply_edits(text, changes[uri(path)], encoding)


# -- e. bad input ---------------------------------------------------------------------------


def scenario_e1_syntax_error(ctx):
    """A buffer with a syntax error gets a parse-error diagnostic (the findings before it
    stay), and the server goes on answering."""
    root = ctx.demo()
    path = root / CONNECT
    original = path.read_text()
    server, _ = ctx.server(root)
    try:
        server.open(path, original, 1)
        server.diagnostics(path, 1)
        server.change(path, original.replace("func ConnectSafe(", "func ConnectSafe((("), 2)
        got = server.diagnostics(path, 2)
        errors = [d for d in got if d.get("code") == "parse-error"]
        on_55 = errors and errors[0]["range"]["start"]["line"] == 54
        expect(on_55, f"no parse-error on line 55 (ConnectSafe): {got}")
        expect(leak_diagnostics(got), f"the leak in Connect, above the error, is gone: {got}")
        expect(server.request("shutdown") is None, "shutdown after the syntax error")
    finally:
        server.kill()


def scenario_e2_no_module(ctx):
    """A .go file in a folder with no go.mod or go.work above it: a showMessage warning saying
    it is in no Go module, and its folder audited alone (its diagnostics are published, in
    UTF-16 after non-ASCII text)."""
    folder = ctx.tmp / "nomodule"
    folder.mkdir()
    above = [d for d in folder.parents if (d / "go.mod").exists() or (d / "go.work").exists()]
    expect(not above, f"cannot test: {folder} has a Go module above it ({above}); set TMPDIR")
    path = folder / "main.go"
    call = '\t_ = "é𝄞"; os.WriteFile("x", nil, 0o600)\n'
    text = 'package main\n\nimport "os"\n\nfunc main() {\n' + call + "}\n"
    path.write_text(text)
    server, _ = ctx.server(folder)
    try:
        server.open(path, text, 1)
        warning = server.message(lambda m: "no Go module" in m["message"], "a no-module warning")
        expect(warning["type"] == WARNING, f"type {warning['type']} for {warning['message']!r}")
        got = server.diagnostics(path, 1)
        # The call's arguments are at byte column 28: 24 UTF-16 units in (é is 1, 𝄞 is 2).
        at = [(d["code"], d["range"]["start"]) for d in got]
        expect(at == [("unchecked-error", {"line": 5, "character": 24})], f"{got}")
    finally:
        server.kill()


def scenario_e3_bad_config(ctx):
    """An unknown key in goaudit.toml: a didSave of a Go file (the config is read for each
    audit) shows an error naming goaudit.toml, once; fixed and announced by
    didChangeWatchedFiles, the diagnostics come back. Broken again and announced by
    didChangeWatchedFiles, the error shows again; fixed and saved, they come back."""
    root = ctx.demo()
    path, toml = root / CONNECT, root / "goaudit.toml"
    good = toml.read_text()
    server, _ = ctx.server(root)
    try:
        server.open(path, path.read_text(), 1)
        expect(leak_diagnostics(server.diagnostics(path, 1)), "no leak diagnostic at first")
        for announce_break, announce_fix in ((saved, watched), (watched, saved)):
            server.forget()
            toml.write_text(good + "bogus-key = 1\n")
            announce_break(server, path)
            error = server.message(lambda m: "goaudit.toml" in m["message"], "a config error")
            expect(error["type"] == ERROR and "bogus-key" in error["message"], f"{error}")
            expect(server.diagnostics(path, 1) == [], "diagnostics kept despite the config error")
            server.save(path)  # still broken: the message is not shown again
            expect(server.diagnostics(path, 1) == [], "diagnostics while the config is broken")
            again = [m for m in server.backlog if m.get("method") == "window/showMessage"]
            expect(not again, f"the config error was shown twice: {again}")
            toml.write_text(good)
            announce_fix(server, path)
            back = leak_diagnostics(server.diagnostics(path, 1))
            expect(back, "the leak did not come back with the config fixed")
    finally:
        server.kill()


def saved(server, path):
    """didSave of the Go file at `path` (unchanged)."""
    server.save(path)


def watched(server, path):
    """didChangeWatchedFiles: goaudit.toml (beside go.mod above `path`) changed."""
    toml = next(d for d in path.parents if (d / "go.mod").exists()) / "goaudit.toml"
    changed = {"uri": uri(toml), "type": 2}
    server.notify("workspace/didChangeWatchedFiles", {"changes": [changed]})


def scenario_e4_folder_removed(ctx):
    """A workspace folder removed (didChangeWorkspaceFolders) and deleted from disk while one
    of its files is open, then that file edited: a showMessage error about it, no crash, and
    the server still answers a code action request and publishes diagnostics for a file of
    another module."""
    keep, doomed = ctx.demo(), ctx.demo()
    kept, lost = keep / CONNECT, doomed / CONNECT
    text = kept.read_text()
    server, _ = ctx.server(keep)
    try:
        folder = [{"uri": uri(doomed), "name": "doomed"}]
        folders = "workspace/didChangeWorkspaceFolders"
        server.notify(folders, {"event": {"added": folder, "removed": []}})
        server.open(kept, text, 1)
        server.open(lost, text, 1)
        leak = leak_diagnostics(server.diagnostics(kept, 1))
        expect(leak_diagnostics(server.diagnostics(lost, 1)), "no leak in the second module")
        server.notify(folders, {"event": {"added": [], "removed": folder}})
        shutil.rmtree(doomed)
        server.change(lost, text + "// edited\n", 2)
        error = server.message(lambda m: m["type"] == ERROR, "an error about the deleted folder")
        expect(str(lost) in error["message"], f"the error does not name {lost}: {error}")
        titles = [a["title"] for a in code_actions(server, kept, leak)]
        expect(len(titles) == 2, f"code actions in the other module: {titles}")
        server.change(kept, fixed_text(text), 2)
        after = server.diagnostics(kept, 2)
        expect(not leak_diagnostics(after), f"the other module's edit was not audited: {after}")
        expect(server.proc.poll() is None, "the server exited")
    finally:
        server.kill()


def scenario_e6_module_created(ctx):
    """A go.mod created above an open file that was in no module (`go mod init`, a checkout),
    announced by didChangeWatchedFiles: the file is audited again as part of the module, with
    the facts of the packages it imports. Its folder audited alone, cmd/agentd/main.go has four
    unchecked-error findings that the module's audit does not have (the callees' facts say
    they return no error)."""
    root = ctx.demo()
    main, gomod = "cmd/agentd/main.go", root / "go.mod"
    findings = ctx.audit(root, "./...")
    mine = [f for f in findings if f["location"]["file"] == main]
    in_module = {(f["rule"], f["location"]["start"]["line"]) for f in mine}
    gomod.rename(root / "go.mod.off")
    path = root / main
    text = path.read_text()
    server, _ = ctx.server(root)
    try:
        server.open(path, text, 1)
        alone = server.diagnostics(path, 1)
        expect(len(alone) > len(in_module), f"alone: {codes(alone)}, in the module: {in_module}")
        (root / "go.mod.off").rename(gomod)
        server.forget()
        created = {"uri": uri(gomod), "type": 1}
        server.notify("workspace/didChangeWatchedFiles", {"changes": [created]})
        got = {(d["code"], d["range"]["start"]["line"] + 1) for d in server.diagnostics(path, 1)}
        want = sorted(in_module)
        expect(got == in_module, f"after go.mod appeared: {sorted(got)}, the module's: {want}")
    finally:
        server.kill()


def scenario_e5_unknown_method(ctx):
    """A request the server does not know gets a MethodNotFound (-32601) error response, and
    the server goes on."""
    root = ctx.demo()
    server, _ = ctx.server(root)
    try:
        response = server.request_raw("goaudit/noSuchMethod", {})
        expect(response.get("error", {}).get("code") == -32601, f"response {response}")
        expect(server.stop() == 0, "exit code after shutdown")
    finally:
        server.kill()


# -- f. shutting down -----------------------------------------------------------------------


def scenario_f_exit_codes(ctx):
    """shutdown then exit ends the server with exit code 0 within a few seconds; exit without
    shutdown ends a second server with exit code 1 (what the protocol asks)."""
    root = ctx.demo()
    server, _ = ctx.server(root)
    try:
        path = root / CONNECT
        server.open(path, path.read_text(), 1)
        server.diagnostics(path, 1)
        started = time.monotonic()
        code = server.stop(timeout=5)
        expect(code == 0, f"shutdown + exit: exit code {code}")
        expect(time.monotonic() - started < 5, "shutdown + exit took too long")
    finally:
        server.kill()
    server, _ = ctx.server(root)
    try:
        server.notify("exit")
        code = server.wait_exit(timeout=5)
        expect(code == 1, f"exit without shutdown: exit code {code}")
    finally:
        server.kill()


def scenario_f2_messages_after_shutdown(ctx):
    """Messages between shutdown and exit: the protocol asks the server to answer a request
    with an InvalidRequest error (-32600) and to exit with 0 on the exit that follows. A
    notification there (a didClose as an editor closes its windows) is dropped. Clients do
    send such messages: a reply to the server's client/registerCapability that crosses the
    shutdown is one."""
    root = ctx.demo()
    server, _ = ctx.server(root)
    try:
        path = root / CONNECT
        server.open(path, path.read_text(), 1)
        server.diagnostics(path, 1)
        server.request("shutdown")
        server.notify("textDocument/didClose", {"textDocument": {"uri": uri(path)}})
        response = server.request_raw("goaudit/afterShutdown", {}, timeout=5)
        expect(response.get("error", {}).get("code") == -32600, f"after shutdown: {response}")
        server.notify("exit")
        code = server.wait_exit(timeout=5)
        expect(code == 0, f"shutdown, messages, exit: exit code {code}")
    finally:
        server.kill()


# -- g. symlinked folders -------------------------------------------------------------------


def scenario_g_symlinked_folder(ctx):
    """A module opened through a symlinked folder (as /tmp is on macOS, or a home folder on
    another disk): the editor knows the file by the URI it opened, so the diagnostics, their
    related locations in that same file and the code actions' edits all name that URI, not the
    resolved path (an editor would open the resolved one as a second, unedited buffer)."""
    real = ctx.demo()
    link = ctx.tmp / "linked"
    link.symlink_to(real, target_is_directory=True)
    path = link / CONNECT
    server, _ = ctx.server(link)
    try:
        server.open(path, path.read_text(), 1)
        leak = leak_diagnostics(server.diagnostics(path, 1))
        expect(len(leak) == 1, "no leak diagnostic through the symlink")
        related = [r["location"]["uri"] for r in leak[0].get("relatedInformation", [])]
        expect(related == [uri(path)], f"related locations {related}, opened as {uri(path)}")
        edited = {u for a in code_actions(server, path, leak) for u in a["edit"]["changes"]}
        expect(edited == {uri(path)}, f"code actions edit {edited}, opened as {uri(path)}")
    finally:
        server.kill()


SCENARIOS = [
    ("a. position encodings", scenario_a_encodings),
    ("b. every file's diagnostics equal `goaudit audit`", scenario_b_every_file),
    ("c. an unsaved edit fixes the leak, reverted brings it back", scenario_c_unsaved_edit),
    ("d. code actions: the fix and //nolint, in utf-16 and utf-8", scenario_d_code_actions),
    ("e1. syntax error", scenario_e1_syntax_error),
    ("e2. a file in no Go module", scenario_e2_no_module),
    ("e3. invalid goaudit.toml", scenario_e3_bad_config),
    ("e4. workspace folder removed and deleted", scenario_e4_folder_removed),
    ("e5. unknown request method", scenario_e5_unknown_method),
    ("e6. a go.mod created above an open file", scenario_e6_module_created),
    ("f. exit codes", scenario_f_exit_codes),
    ("f2. messages between shutdown and exit", scenario_f2_messages_after_shutdown),
    ("g. a module opened through a symlinked folder", scenario_g_symlinked_folder),
]


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    binary = pathlib.Path(argv[1]).resolve()
    if not binary.is_file():
        print(f"no binary at {binary}", file=sys.stderr)
        return 2
    failed = []
    with tempfile.TemporaryDirectory(prefix="goaudit-lsp-test-") as tmp:
        ctx = Context(binary, pathlib.Path(tmp).resolve())
        for name, scenario in SCENARIOS:
            started = time.monotonic()
            try:
                scenario(ctx)
            except Exception as e:  # noqa: BLE001 - every failure is reported, then the next runs
                failed.append(name)
                detail = str(e) if isinstance(e, LspFailure) else traceback.format_exc()
                print(f"FAIL {name}: {detail}", flush=True)
                continue
            print(f"ok   {name} ({time.monotonic() - started:.1f} s)", flush=True)
    if failed:
        print(f"{len(failed)} of {len(SCENARIOS)} scenarios failed: {', '.join(failed)}")
        return 1
    print(f"all {len(SCENARIOS)} scenarios passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
