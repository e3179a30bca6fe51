"""A small Language Server Protocol client for testing `goaudit server` (Python 3 standard
library only): JSON-RPC with Content-Length framing over the server's standard input and
output, a reader thread, and helpers for the positions and edits the protocol speaks in.

Every wait has a deadline (TIMEOUT seconds by default), so a server that hangs fails the
caller with a message instead of blocking it. Used by tests/lsp/client_test.py and
bench/lsp.py.
"""

import json
import os
import pathlib
import queue
import subprocess
import tempfile
import threading
import time
import urllib.parse

TIMEOUT = 20.0
DIAGNOSTICS = "textDocument/publishDiagnostics"
SHOW_MESSAGE = "window/showMessage"


class LspFailure(AssertionError):
    """A check on the server's answers failed (or the server hung or died)."""


def uri(path):
    """The file: URI of an absolute path."""
    return "file://" + urllib.parse.quote(str(path))


class Server:
    """`BINARY server ARGS...` as a child process, with a client talking to it.

    Messages the server sends are read on a thread and kept in arrival order; `wait_for`
    takes the first one a predicate accepts, keeping the others for later waits. Requests the
    server makes (client/registerCapability) are answered with a null result at once.
    """

    def __init__(self, binary, args=(), cwd=None):
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [str(binary), "server", *map(str, args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            cwd=cwd,
        )
        self.incoming = queue.Queue()
        self.backlog = []
        self.server_requests = []
        self.next_id = 0
        self.write_lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    # -- the wire ---------------------------------------------------------------------------

    def _read(self):
        out = self.proc.stdout
        while True:
            try:
                msg = read_message(out)
            except (OSError, ValueError) as e:
                self.incoming.put(("broken", str(e)))
                return
            if msg is None:
                self.incoming.put(("closed", None))
                return
            if "method" in msg and "id" in msg:
                self.server_requests.append(msg)
                try:
                    self._write({"jsonrpc": "2.0", "id": msg["id"], "result": None})
                except LspFailure:
                    pass  # the server is gone: the next wait says so
            self.incoming.put(("message", msg))

    def _write(self, msg):
        body = json.dumps(msg).encode("utf-8")
        with self.write_lock:
            try:
                self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
                self.proc.stdin.flush()
            except (BrokenPipeError, ValueError) as e:
                what = msg.get("method", "a response")
                raise LspFailure(f"cannot send {what}: {e}{self._context()}") from e

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self._write(msg)

    def request_raw(self, method, params=None, timeout=TIMEOUT):
        """Sends a request and returns the whole response (result or error)."""
        self.next_id += 1
        rid = self.next_id
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self._write(msg)
        return self.wait_for(
            lambda m: m.get("id") == rid and "method" not in m,
            f"the response to {method} (id {rid})",
            timeout,
        )

    def request(self, method, params=None, timeout=TIMEOUT):
        """Sends a request and returns its result; an error response fails."""
        response = self.request_raw(method, params, timeout)
        if "error" in response:
            raise LspFailure(f"{method} answered with an error: {response['error']}")
        return response.get("result")

    # -- waiting ----------------------------------------------------------------------------

    def wait_for(self, accept, what, timeout=TIMEOUT):
        """The first message (kept or arriving within `timeout` s) that `accept` takes."""
        for i, msg in enumerate(self.backlog):
            if accept(msg):
                return self.backlog.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LspFailure(f"no {what} within {timeout:.0f} s{self._context()}")
            try:
                kind, msg = self.incoming.get(timeout=left)
            except queue.Empty:
                continue
            if kind != "message":
                self.incoming.put((kind, msg))  # later waits see the end too
                raise LspFailure(
                    f"the server's output {kind} ({msg or 'end of file'}) while waiting for "
                    f"{what}{self._context()}"
                )
            if accept(msg):
                return msg
            self.backlog.append(msg)

    def diagnostics(self, path, version, timeout=TIMEOUT):
        """The diagnostics published for the document at `path` at `version`."""
        target = uri(path)
        msg = self.wait_for(
            lambda m: m.get("method") == DIAGNOSTICS
            and m["params"]["uri"] == target
            and m["params"].get("version") == version,
            f"publishDiagnostics for {path} at version {version}",
            timeout,
        )
        return msg["params"]["diagnostics"]

    def message(self, accept, what, timeout=TIMEOUT):
        """The first window/showMessage whose params `accept` takes."""
        msg = self.wait_for(
            lambda m: m.get("method") == SHOW_MESSAGE and accept(m["params"]), what, timeout
        )
        return msg["params"]

    def forget(self):
        """Drops the messages kept or read so far (stale diagnostics of earlier versions);
        one still on its way is not dropped: wait for a version, not for any message."""
        self.backlog.clear()
        while True:
            try:
                kind, msg = self.incoming.get_nowait()
            except queue.Empty:
                return
            if kind != "message":
                self.incoming.put((kind, msg))
                return

    def _context(self):
        kept = [m.get("method", "response") for m in self.backlog[-8:]]
        status = self.proc.poll()
        alive = "running" if status is None else f"exited with {status}"
        return f" (server {alive}; last kept messages: {kept}; stderr: {self.stderr_text()!r})"

    def stderr_text(self):
        self.stderr.flush()
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")[-2000:]

    # -- the protocol's steps ---------------------------------------------------------------

    def initialize(self, root, encodings=("utf-16",), watch=True):
        """initialize (offering `encodings`) then initialized; returns the result."""
        root = pathlib.Path(root)
        caps = {
            "general": {"positionEncodings": list(encodings)},
            "workspace": {
                "workspaceFolders": True,
                "didChangeWatchedFiles": {"dynamicRegistration": watch},
            },
            "textDocument": {
                "synchronization": {"didSave": True},
                "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
                "codeAction": {
                    "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}
                },
            },
            "window": {"showMessage": {}},
        }
        result = self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": uri(root),
                "workspaceFolders": [{"uri": uri(root), "name": root.name}],
                "capabilities": caps,
            },
        )
        self.notify("initialized", {})
        return result

    def open(self, path, text, version=1):
        self.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri(path),
                    "languageId": "go",
                    "version": version,
                    "text": text,
                }
            },
        )

    def change(self, path, text, version):
        """didChange with the document's full new text."""
        self.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri(path), "version": version},
                "contentChanges": [{"text": text}],
            },
        )

    def save(self, path):
        self.notify("textDocument/didSave", {"textDocument": {"uri": uri(path)}})

    def stop(self, timeout=5.0):
        """shutdown then exit; returns the exit code (kills a server that does not end)."""
        self.request("shutdown")
        self.notify("exit")
        return self.wait_exit(timeout)

    def wait_exit(self, timeout=5.0):
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise LspFailure(f"the server did not exit within {timeout:.0f} s{self._context()}")
        self.close_pipes()
        return code

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.close_pipes()

    def close_pipes(self):
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass

    def rss_kb(self):
        """The server's resident memory now and at its peak (VmRSS, VmHWM in kB)."""
        fields = {}
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    fields[key] = int(value.split()[0])
        return fields["VmRSS"], fields["VmHWM"]


def read_message(stream):
    """One framed JSON-RPC message from a binary stream; None at the end of the stream."""
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        key, _, value = line.decode("ascii").partition(":")
        if key.strip().lower() == "content-length":
            length = int(value.strip())
    if length is None:
        raise ValueError("a message without Content-Length")
    body = stream.read(length)
    if len(body) < length:
        return None
    return json.loads(body)


# -- positions and edits --------------------------------------------------------------------


def units(char, encoding):
    """How many units `char` counts for in a line, in the negotiated position encoding."""
    if encoding == "utf-8":
        return len(char.encode("utf-8"))
    if encoding == "utf-16":
        return 2 if ord(char) > 0xFFFF else 1
    return 1  # utf-32


def offset_of(text, position, encoding):
    """The index in `text` (a str) of a protocol position."""
    line_start = 0
    for _ in range(position["line"]):
        nl = text.find("\n", line_start)
        if nl < 0:
            return len(text)
        line_start = nl + 1
    line_end = text.find("\n", line_start)
    if line_end < 0:
        line_end = len(text)
    counted = 0
    for i in range(line_start, line_end):
        if counted >= position["character"]:
            return i
        counted += units(text[i], encoding)
    return line_end


def character_of(line, byte_column, encoding):
    """The protocol character of a 1-based byte column in `line` (a str)."""
    before = line.encode("utf-8")[: byte_column - 1].decode("utf-8", "ignore")
    return sum(units(c, encoding) for c in before)


def apply_edits(text, edits, encoding):
    """`text` with the TextEdits applied (their ranges all refer to the original text)."""
    spans = []
    for edit in edits:
        start = offset_of(text, edit["range"]["start"], encoding)
        end = offset_of(text, edit["range"]["end"], encoding)
        spans.append((start, end, edit["newText"]))
    for start, end, new_text in sorted(spans, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start] + new_text + text[end:]
    return text
