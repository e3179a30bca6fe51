//! The fan-out: one task per unit on tokio, at most `concurrency` requests in flight, the
//! cache consulted first, a malformed answer retried once, and a budget (dollars, tokens) that,
//! once reached, lets no new unit start.

use super::answer;
use super::cache::{self, Cache};
use super::client::{CallError, Client};
use super::plan::Unit;
use super::prompt;
use super::providers::Reply;
use super::settings::LlmSettings;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::sync::Semaphore;

/// How a unit's review ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Reviewed,
    /// Answered from the cache: nothing sent.
    Cached,
    Failed(String),
    Skipped(String),
}

impl Status {
    pub fn label(&self) -> &'static str {
        match self {
            Status::Reviewed => "reviewed",
            Status::Cached => "cached",
            Status::Failed(_) => "failed",
            Status::Skipped(_) => "skipped",
        }
    }

    pub fn detail(&self) -> &str {
        match self {
            Status::Failed(d) | Status::Skipped(d) => d,
            _ => "",
        }
    }
}

/// One unit's outcome: the answer's findings items, what was sent and received, and its cost.
#[derive(Debug, Clone)]
pub struct UnitOutcome {
    pub status: Status,
    /// The items of the answer's findings array.
    pub items: Vec<serde_json::Value>,
    /// Every message exchanged: (role, text).
    pub messages: Vec<(String, String)>,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub cost: f64,
    pub started_ms: i64,
    pub finished_ms: i64,
}

/// What has been spent so far, shared by the tasks.
#[derive(Default)]
struct Spent {
    tokens: u64,
    cost: f64,
    /// Set once the provider is unreachable or refuses the key.
    fatal: Option<String>,
}

struct Shared {
    client: Client,
    settings: LlmSettings,
    cache: Option<Cache>,
    spent: Mutex<Spent>,
    permits: Arc<Semaphore>,
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Reviews every unit; the outcomes are in the units' order.
pub fn run(units: &[Unit], settings: &LlmSettings) -> Result<Vec<UnitOutcome>, String> {
    let client = Client::new(settings)?;
    let shared = Arc::new(Shared {
        client,
        settings: settings.clone(),
        cache: settings.cache_dir.clone().map(Cache::new),
        spent: Mutex::new(Spent::default()),
        permits: Arc::new(Semaphore::new(settings.concurrency)),
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let outcomes = rt.block_on(async {
        // Permits are taken here, in the units' order, so units start in order and the budget
        // seen by each includes everything finished before it.
        let mut tasks = Vec::with_capacity(units.len());
        for u in units {
            let Ok(permit) = shared.permits.clone().acquire_owned().await else {
                break;
            };
            let shared = shared.clone();
            let user = u.prompt.clone();
            tasks.push(tokio::spawn(async move {
                let _permit = permit;
                review(&shared, &user).await
            }));
        }
        let mut out = Vec::with_capacity(tasks.len());
        for t in tasks {
            out.push(t.await.unwrap_or_else(|e| {
                outcome(Status::Failed(format!("internal error: {e}")), now_ms())
            }));
        }
        out
    });
    Ok(outcomes)
}

fn outcome(status: Status, started_ms: i64) -> UnitOutcome {
    UnitOutcome {
        status,
        items: Vec::new(),
        messages: Vec::new(),
        prompt_tokens: 0,
        completion_tokens: 0,
        cost: 0.0,
        started_ms,
        finished_ms: now_ms(),
    }
}

/// Reviews one unit (its permit held), unless the budget is spent or the provider is gone.
async fn review(shared: &Shared, user: &str) -> UnitOutcome {
    let started = now_ms();
    let s = &shared.settings;
    let key = cache::key(
        s.provider.name(),
        &s.model,
        prompt::VERSION,
        prompt::SYSTEM,
        user,
    );
    if let Some(o) = cached(shared, &key, user, started) {
        return o;
    }
    if let Some(stop) = stop_reason(shared) {
        return stop(started);
    }
    let mut o = outcome(Status::Reviewed, started);
    o.messages.push(("system".into(), prompt::SYSTEM.into()));
    o.messages.push(("user".into(), user.into()));
    for attempt in 0..2 {
        let reply = match shared.client.call(prompt::SYSTEM, user).await {
            Ok(r) => r,
            Err(e) => {
                note_fatal(shared, &e);
                o.status = Status::Failed(e.message().to_string());
                break;
            }
        };
        charge(shared, &mut o, &reply);
        o.messages.push(("assistant".into(), reply.text.clone()));
        match answer::parse(&reply.text) {
            Ok(items) => {
                o.items = items;
                o.status = Status::Reviewed;
                store_in_cache(shared, &key, &reply);
                break;
            }
            Err(e) => {
                let times = if attempt == 0 { "once" } else { "twice" };
                o.status =
                    Status::Failed(format!("the model's answer was malformed {times} ({e})"));
            }
        }
    }
    o.finished_ms = now_ms();
    o
}

fn store_in_cache(shared: &Shared, key: &str, reply: &Reply) {
    if let Some(c) = &shared.cache {
        if let Err(e) = c.put(key, reply) {
            crate::eprintln_escaped!("goaudit: warning: cannot cache an LLM answer: {e:#}");
        }
    }
}

type Stop = Box<dyn FnOnce(i64) -> UnitOutcome + Send>;

/// Why this unit must not start: the budget is spent, or the provider is known to be gone.
fn stop_reason(shared: &Shared) -> Option<Stop> {
    let spent = shared.spent.lock().unwrap_or_else(|p| p.into_inner());
    let s = &shared.settings;
    if let Some(msg) = &spent.fatal {
        let msg = msg.clone();
        return Some(Box::new(move |t| outcome(Status::Failed(msg), t)));
    }
    let over_cost = s.max_cost.filter(|&max| spent.cost >= max).map(|max| {
        format!(
            "budget reached: ${:.4} of ${max:.4} spent (--llm-max-cost)",
            spent.cost
        )
    });
    let over_tokens = s.max_tokens.filter(|&max| spent.tokens >= max).map(|max| {
        format!(
            "budget reached: {} of {max} tokens spent (--llm-max-tokens)",
            spent.tokens
        )
    });
    let why = over_cost.or(over_tokens)?;
    Some(Box::new(move |t| outcome(Status::Skipped(why), t)))
}

fn note_fatal(shared: &Shared, e: &CallError) {
    if e.is_fatal() {
        let mut spent = shared.spent.lock().unwrap_or_else(|p| p.into_inner());
        spent.fatal.get_or_insert_with(|| e.message().to_string());
    }
}

/// Adds a reply's tokens and cost to the unit and to the run.
fn charge(shared: &Shared, o: &mut UnitOutcome, reply: &Reply) {
    let s = &shared.settings;
    let cost = s
        .prices
        .cost(&s.model, reply.prompt_tokens, reply.completion_tokens)
        .unwrap_or(0.0);
    o.prompt_tokens += reply.prompt_tokens;
    o.completion_tokens += reply.completion_tokens;
    o.cost += cost;
    let mut spent = shared.spent.lock().unwrap_or_else(|p| p.into_inner());
    spent.tokens += reply.prompt_tokens + reply.completion_tokens;
    spent.cost += cost;
}

/// The cached outcome of a unit, if its answer is in the cache.
fn cached(shared: &Shared, key: &str, user: &str, started: i64) -> Option<UnitOutcome> {
    let reply = shared.cache.as_ref()?.get(key)?;
    let items = answer::parse(&reply.text).ok()?;
    let mut o = outcome(Status::Cached, started);
    o.items = items;
    o.messages = conversation(user, &reply.text);
    Some(o)
}

fn conversation(user: &str, answer: &str) -> Vec<(String, String)> {
    vec![
        ("system".into(), prompt::SYSTEM.into()),
        ("user".into(), user.into()),
        ("assistant".into(), answer.into()),
    ]
}
