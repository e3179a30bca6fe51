//! A fake LLM provider on 127.0.0.1 for the tests: it speaks just enough HTTP/1.1, counts the
//! requests and how many are in flight at once, answers through a script, and stops by itself
//! (when dropped, or after a minute at most).

#![allow(dead_code)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The longest a fake server lives.
const LIFETIME: Duration = Duration::from_secs(60);

/// What the script answers to one request.
pub enum Answer {
    /// Status, extra headers, body.
    Http(u16, Vec<(&'static str, String)>, String),
    /// Never answer (until the server stops).
    Hang,
    /// A 200 with a chunked body that does not end: `ENDLESS_CAP` bytes of it, then silence
    /// until the server stops (capped so that a client without a body limit cannot take all the
    /// machine's memory in a test).
    Endless,
}

/// How much of an `Answer::Endless` body is sent before the server falls silent.
pub const ENDLESS_CAP: usize = 64 << 20;

/// One request as received.
#[derive(Debug, Clone)]
pub struct Request {
    pub at: Instant,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Value,
    pub raw: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub type Script = dyn Fn(usize, &Request) -> Answer + Send + Sync;

#[derive(Default)]
pub struct State {
    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
    pub requests: Mutex<Vec<Request>>,
    count: AtomicUsize,
}

pub struct Fake {
    pub addr: SocketAddr,
    pub state: Arc<State>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Fake {
    /// Starts a server that holds each request `delay` before answering with `script`.
    pub fn start(
        delay: Duration,
        script: impl Fn(usize, &Request) -> Answer + Send + Sync + 'static,
    ) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State::default());
        let stop = Arc::new(AtomicBool::new(false));
        let script: Arc<Script> = Arc::new(script);
        let (st, sp) = (state.clone(), stop.clone());
        let thread = std::thread::spawn(move || accept(listener, st, sp, script, delay));
        Fake {
            addr,
            state,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.requests.lock().unwrap().clone()
    }

    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn accept(
    listener: TcpListener,
    state: Arc<State>,
    stop: Arc<AtomicBool>,
    script: Arc<Script>,
    delay: Duration,
) {
    let born = Instant::now();
    let mut workers = Vec::new();
    while !stop.load(Ordering::SeqCst) && born.elapsed() < LIFETIME {
        match listener.accept() {
            Ok((stream, _)) => {
                let (state, stop, script) = (state.clone(), stop.clone(), script.clone());
                workers.push(std::thread::spawn(move || {
                    let _ = serve(stream, &state, &stop, &*script, delay, born);
                }));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(2)),
        }
    }
    stop.store(true, Ordering::SeqCst);
    for w in workers {
        let _ = w.join();
    }
}

fn serve(
    stream: TcpStream,
    state: &State,
    stop: &AtomicBool,
    script: &Script,
    delay: Duration,
    born: Instant,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" {
            break;
        }
        if let Some((n, v)) = h.trim_end().split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    let len = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body)?;
    let raw = String::from_utf8_lossy(&body).to_string();
    let req = Request {
        at: Instant::now(),
        path,
        headers,
        body: serde_json::from_str(&raw).unwrap_or(Value::Null),
        raw,
    };
    let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    state.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let index = state.count.fetch_add(1, Ordering::SeqCst);
    state.requests.lock().unwrap().push(req.clone());
    std::thread::sleep(delay);
    let answer = script(index, &req);
    if let Answer::Endless = answer {
        let _ = stream_endless(&stream);
    }
    if matches!(answer, Answer::Hang | Answer::Endless) {
        while !stop.load(Ordering::SeqCst) && born.elapsed() < LIFETIME {
            std::thread::sleep(Duration::from_millis(10));
        }
        state.in_flight.fetch_sub(1, Ordering::SeqCst);
        return Ok(());
    }
    state.in_flight.fetch_sub(1, Ordering::SeqCst);
    let Answer::Http(status, extra, body) = answer else {
        unreachable!()
    };
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (n, v) in extra {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    out.write_all(body.as_bytes())?;
    out.flush()
}

/// Writes a 200 whose chunked body starts a JSON answer and goes on for `ENDLESS_CAP` bytes,
/// or until the client hangs up.
fn stream_endless(mut out: &TcpStream) -> std::io::Result<()> {
    out.write_all(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
    )?;
    let start = b"{\"choices\":[{\"message\":{\"content\":\"";
    out.write_all(format!("{:x}\r\n", start.len()).as_bytes())?;
    out.write_all(start)?;
    out.write_all(b"\r\n")?;
    let chunk = vec![b'A'; 64 << 10];
    for _ in 0..ENDLESS_CAP / chunk.len() {
        out.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())?;
        out.write_all(&chunk)?;
        out.write_all(b"\r\n")?;
    }
    out.flush()
}

/// The user message of a request of either protocol.
pub fn user_text(body: &Value) -> String {
    body["messages"]
        .as_array()
        .and_then(|m| m.iter().rev().find(|m| m["role"] == "user"))
        .and_then(|m| m["content"].as_str())
        .unwrap_or("")
        .to_string()
}

/// The (file, line, text) of every prompt line containing `needle`.
pub fn lines_with(prompt: &str, needle: &str) -> Vec<(String, usize, String)> {
    let mut file = String::new();
    let mut out = Vec::new();
    for l in prompt.lines() {
        if let Some(rest) = l.strip_prefix("<<<FILE ") {
            file = rest.split(" lines ").next().unwrap_or("").to_string();
        } else if let Some((n, text)) = l.split_once("| ") {
            if text.contains(needle) {
                if let Ok(n) = n.parse() {
                    out.push((file.clone(), n, text.to_string()));
                }
            }
        }
    }
    out
}

/// One finding of the answer contract.
pub fn finding(file: &str, line: usize, quote: &str, severity: &str, title: &str) -> Value {
    json!({"file": file, "line": line, "end_line": null, "quote": quote, "severity": severity,
           "category": "errors", "title": title, "explanation": "the error is dropped",
           "suggestion": "check it", "verdict": "new", "static_rule": null})
}

/// A Chat Completions response whose content is `content`.
pub fn openai(content: &str, prompt_tokens: u64, completion_tokens: u64) -> Answer {
    let body = json!({
        "id": "x", "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens},
    });
    Answer::Http(200, Vec::new(), body.to_string())
}

/// A Messages response whose tool input is `findings`.
pub fn anthropic(findings: Value, input_tokens: u64, output_tokens: u64) -> Answer {
    let body = json!({
        "id": "x", "type": "message", "role": "assistant",
        "content": [{"type": "tool_use", "id": "t", "name": "report_findings", "input": {"findings": findings}}],
        "stop_reason": "tool_use",
        "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
    });
    Answer::Http(200, Vec::new(), body.to_string())
}

/// An error status with a body.
pub fn status(code: u16, headers: Vec<(&'static str, String)>) -> Answer {
    Answer::Http(
        code,
        headers,
        json!({"error": {"message": "try later"}}).to_string(),
    )
}
