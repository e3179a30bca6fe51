//! The sinks: commands, file system paths, outgoing request URLs; and calls of the package's
//! own functions whose summaries say a parameter reaches one.

use super::{call_args, Analysis, Origin, Taint, TaintFlow, COMMAND, PATH, THROUGH_SHELL, URL};
use crate::analysis::types::CalleeKind;
use crate::index::TaintSummary;
use crate::syntax::kinds::k;
use crate::tree::Node;

/// Shells that run their `-c` argument as a script.
const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "zsh",
    "dash",
    "ksh",
    "ash",
    "fish",
    "cmd",
    "cmd.exe",
    "powershell",
    "powershell.exe",
    "pwsh",
];

/// `os` functions whose path arguments (by index) open, create, remove or list files.
fn path_args(pkg: &str, name: &str) -> &'static [usize] {
    match (pkg, name) {
        (
            "os",
            "Open" | "OpenFile" | "Create" | "ReadFile" | "WriteFile" | "Remove" | "RemoveAll"
            | "Mkdir" | "MkdirAll" | "ReadDir" | "Chmod" | "Chown" | "Truncate" | "DirFS"
            | "Chtimes" | "Lchown",
        ) => &[0],
        ("os", "Rename" | "Symlink" | "Link") => &[0, 1],
        ("io/ioutil", "ReadFile" | "WriteFile" | "ReadDir") => &[0],
        ("net/http", "ServeFile") => &[2],
        _ => &[],
    }
}

/// Outgoing request functions and the index of their URL or address argument.
fn url_arg(pkg: &str, owner: Option<&str>, name: &str) -> Option<usize> {
    match (pkg, owner, name) {
        ("net/http", None | Some("Client"), "Get" | "Head" | "Post" | "PostForm") => Some(0),
        ("net/http", None, "NewRequest") => Some(1),
        ("net/http", None, "NewRequestWithContext") => Some(2),
        ("net", None, "Dial" | "DialTimeout") => Some(1),
        ("net", Some("Dialer"), "Dial") => Some(1),
        ("net", Some("Dialer"), "DialContext") => Some(2),
        _ => None,
    }
}

impl<'a, 't> Analysis<'a, 't> {
    pub(super) fn call(&mut self, call: Node<'t>) {
        let Some(c) = self.types.callee(call) else {
            return;
        };
        self.decode_into(call);
        self.out_params(call);
        let args = call_args(call);
        let owner = match &c.kind {
            CalleeKind::Method { owner, .. } => owner.named_parts().map(|(_, n)| n),
            _ => None,
        };
        let name = c.display();
        if c.pkg == "os/exec" && owner.is_none() {
            self.command(call, &c.name, &args, &name);
        } else if matches!(
            (c.pkg.as_str(), c.name.as_str()),
            ("syscall", "Exec") | ("os", "StartProcess")
        ) && owner.is_none()
        {
            if let Some(p) = args.first() {
                let t = self.taint(*p, 0);
                self.sink(
                    COMMAND,
                    *p,
                    name,
                    "as the program name".into(),
                    t,
                    Vec::new(),
                );
            }
        } else if owner.is_none() && !path_args(&c.pkg, &c.name).is_empty() {
            for &i in path_args(&c.pkg, &c.name) {
                if let Some(a) = args.get(i) {
                    let t = self.taint(*a, 0);
                    self.sink(PATH, *a, name.clone(), String::new(), t, Vec::new());
                }
            }
        } else if let Some(a) = self.framework_file(&c).and_then(|i| args.get(i)) {
            let t = self.taint(*a, 0);
            self.sink(PATH, *a, name, String::new(), t, Vec::new());
        } else if let Some(i) = url_arg(&c.pkg, owner, &c.name) {
            if let Some(a) = args.get(i) {
                let t = self.taint(*a, 0);
                self.sink(URL, *a, name, String::new(), t, Vec::new());
            }
        } else if let Some(key) = self.local_key(&c) {
            self.through(call, &key, &args, c.sig.params.len());
        } else if let Some((_, summary)) = self.imported_summary(&c) {
            self.through_imported(call, &name, &summary, &args, c.sig.params.len());
        }
    }

    /// A call of another package's function whose summary says a parameter reaches a sink:
    /// reported at the argument, naming the sink in the other package.
    fn through_imported(
        &mut self,
        call: Node<'t>,
        callee: &str,
        summary: &TaintSummary,
        args: &[Node<'t>],
        nparams: usize,
    ) {
        if summary.sinks.is_empty() {
            return;
        }
        let passed = self.passed_to(call, callee);
        for (i, a) in args.iter().enumerate() {
            let p = i.min(nparams.saturating_sub(1));
            for s in summary.sinks.iter().filter(|s| s.param == p) {
                let file = self.file;
                let flow = |o: &Origin| TaintFlow {
                    class: s.class,
                    file,
                    sink: (a.start_byte(), a.end_byte()),
                    sink_desc: s.sink.clone(),
                    how: s.how.clone(),
                    origin: o.clone(),
                    steps: Vec::new(),
                    external: true,
                };
                let steps = vec![passed.clone()];
                self.pass_arg(*a, s.field.as_deref(), s.class, flow, steps);
            }
        }
    }

    /// gin's `c.File(path)`, echo's `c.Attachment(path, name)`, fiber's `c.SendFile(path)`:
    /// the index of the served path.
    fn framework_file(&self, c: &crate::analysis::types::Callee) -> Option<usize> {
        let CalleeKind::Method { recv, .. } = &c.kind else {
            return None;
        };
        let served = matches!(
            c.name.as_str(),
            "File" | "FileAttachment" | "Attachment" | "Inline" | "SendFile" | "Download"
        );
        (served && super::web_context(recv)).then_some(0)
    }

    /// `json.NewDecoder(r.Body).Decode(&req)`: the variable decoded into is outside input,
    /// whatever its type (a map, an anonymous struct).
    fn decode_into(&mut self, call: Node<'t>) {
        let Some((format, target)) = super::decode_target(self.types, call) else {
            return;
        };
        if target.kind_id() != k().identifier {
            return;
        }
        if !super::inbound::decoded_from_outside(self.files, self.file, call, format) {
            return;
        }
        let Some(id) = self.types.decl_of(target) else {
            return;
        };
        let line = self.line(call.start_byte());
        let desc = format!("{} (decoded from {format} at line {line})", self.t(target));
        let o = self.origin(target, desc, None);
        self.state.entry(id.0).or_default().push(o);
    }

    /// `decodeJSON(r, &req)`, `fmt.Sscan(input, &s)`: a call given outside input fills the
    /// variables it gets pointers to.
    fn out_params(&mut self, call: Node<'t>) {
        let k = k();
        let args = call_args(call);
        let targets: Vec<Node> = args
            .iter()
            .filter(|a| a.kind_id() == k.unary_expression && self.t(**a).starts_with('&'))
            .filter_map(|a| a.child_by_field_id(k.f_operand))
            .filter(|o| o.kind_id() == k.identifier)
            .collect();
        if targets.is_empty() {
            return;
        }
        let mut taint = Vec::new();
        for a in args.iter().filter(|a| !self.t(**a).starts_with('&')) {
            taint.extend(self.taint(*a, 0));
        }
        if let Some(o) = call
            .child_by_field_id(k.f_function)
            .filter(|f| f.kind_id() == k.selector_expression)
            .and_then(|f| f.child_by_field_id(k.f_operand))
        {
            taint.extend(self.taint(o, 0));
        }
        taint.retain(|o| o.param.is_none());
        taint.truncate(2);
        if taint.is_empty() {
            return;
        }
        for t in targets {
            if let Some(id) = self.types.decl_of(t) {
                let entry = self.state.entry(id.0).or_default();
                for o in &taint {
                    if !entry.contains(o) {
                        entry.push(o.clone());
                    }
                }
            }
        }
    }

    /// `exec.Command(name, args...)`: a tainted program, or a tainted script after `sh -c`.
    fn command(&mut self, call: Node<'t>, fname: &str, args: &[Node<'t>], name: &str) {
        let first = match fname {
            "Command" => 0,
            "CommandContext" => 1,
            _ => return,
        };
        let Some(program) = args.get(first) else {
            return;
        };
        let t = self.taint(*program, 0);
        if !t.is_empty() {
            self.sink(
                COMMAND,
                *program,
                name.into(),
                "as the program name".into(),
                t,
                Vec::new(),
            );
            return;
        }
        let prog = self.t(*program).trim_matches(|c| c == '"' || c == '`');
        let base = prog.rsplit(['/', '\\']).next().unwrap_or(prog);
        if !SHELLS.contains(&base) {
            return;
        }
        let mut script = false;
        for a in &args[first + 1..] {
            let at = self.t(*a).trim_matches(|c| c == '"' || c == '`');
            if matches!(
                at,
                "-c" | "/c" | "/C" | "-Command" | "-command" | "-lc" | "-ec"
            ) {
                script = true;
                continue;
            }
            let variadic = a.kind_id() == k().variadic_argument;
            if script || variadic {
                let t = self.taint(*a, 0);
                let how = format!("{THROUGH_SHELL} ({base} -c)");
                self.sink(COMMAND, *a, name.into(), how, t, Vec::new());
            }
        }
        let _ = call;
    }

    /// A call of the package's own function: a tainted argument reaches the sinks its
    /// parameter reaches.
    fn through(&mut self, call: Node<'t>, key: &str, args: &[Node<'t>], nparams: usize) {
        let Some(summary) = self.summaries.get(key) else {
            if args.iter().any(|a| !self.taint(*a, 0).is_empty()) {
                self.missed_summary.set(true);
            }
            return;
        };
        let sinks = summary.sinks.clone();
        let passed = self.passed_to(call, key);
        for (i, a) in args.iter().enumerate() {
            let p = i.min(nparams.saturating_sub(1));
            for (_, f) in sinks.iter().filter(|(q, _)| *q == p) {
                let mut steps = f.steps.clone();
                steps.insert(0, passed.clone());
                self.pass_arg(*a, f.origin.field.as_deref(), f.class, |_| f.clone(), steps);
            }
        }
    }

    /// The step of a flow that a call passes on: `passed to X at line L`.
    fn passed_to(&self, call: Node<'t>, name: &str) -> (usize, usize, String) {
        let line = self.line(call.start_byte());
        (
            self.file,
            call.start_byte(),
            format!("passed to {name} at line {line}"),
        )
    }

    /// An argument passed where a callee's parameter reaches a sink of `class`: the flow
    /// `flow` makes is recorded from each of the argument's origins not cleared for the class.
    fn pass_arg(
        &mut self,
        arg: Node<'t>,
        field: Option<&str>,
        class: u8,
        flow: impl Fn(&Origin) -> TaintFlow,
        steps: Vec<(usize, usize, String)>,
    ) {
        let taint = self.name_request(arg, self.arg_taint(arg, field));
        for o in &taint {
            if o.cleared & class != 0 {
                continue;
            }
            self.record(flow(o), o.clone(), steps.clone());
        }
    }

    /// A tainted value at a sink: a flow from each origin not cleared for the class.
    pub(super) fn sink(
        &mut self,
        class: u8,
        at: Node<'t>,
        sink_desc: String,
        how: String,
        taint: Taint,
        steps: Vec<(usize, usize, String)>,
    ) {
        for o in self.name_request(at, taint) {
            if o.cleared & class != 0 {
                continue;
            }
            let flow = TaintFlow {
                class,
                file: self.file,
                sink: (at.start_byte(), at.end_byte()),
                sink_desc: sink_desc.clone(),
                how: how.clone(),
                origin: o.clone(),
                steps: steps.clone(),
                external: false,
            };
            self.record(flow, o, steps.clone());
        }
    }

    fn record(
        &mut self,
        mut flow: TaintFlow,
        origin: super::Origin,
        steps: Vec<(usize, usize, String)>,
    ) {
        flow.steps = steps;
        flow.origin = origin.clone();
        if let Some(p) = origin.param {
            if origin.file == self.file {
                self.summary.sinks.push((p, flow.clone()));
            }
        }
        self.flows.push(flow);
    }
}
