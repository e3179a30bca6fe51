//! The two protocols: OpenAI-compatible Chat Completions and Anthropic Messages. Each builds a
//! request body asking for the answer contract's JSON, and reads the answer and token usage.

pub mod anthropic;
pub mod openai;

use serde_json::{json, Value};

/// Which protocol to speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// Chat Completions: OpenAI, Ollama, vLLM, llama.cpp server, OpenRouter.
    OpenAi,
    /// Anthropic Messages.
    Anthropic,
}

/// One request's prompts.
pub struct Prompt<'a> {
    pub model: &'a str,
    pub system: &'a str,
    pub user: &'a str,
    pub max_output_tokens: u32,
}

/// What a provider answered: the model's text (the JSON, when the provider produced it as
/// structured output) and the tokens it counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub text: String,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

impl Provider {
    pub fn parse(name: &str) -> Option<Provider> {
        match name.to_ascii_lowercase().as_str() {
            "openai" | "openai-compatible" | "ollama" | "vllm" | "openrouter" => {
                Some(Provider::OpenAi)
            }
            "anthropic" | "claude" => Some(Provider::Anthropic),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Provider::OpenAi => "openai",
            Provider::Anthropic => "anthropic",
        }
    }

    pub fn default_model(self) -> &'static str {
        match self {
            Provider::OpenAi => "gpt-4o-mini",
            Provider::Anthropic => "claude-sonnet-4-5",
        }
    }

    pub fn default_base_url(self) -> &'static str {
        match self {
            Provider::OpenAi => "https://api.openai.com/v1",
            Provider::Anthropic => "https://api.anthropic.com",
        }
    }

    /// The variable that may hold the base URL.
    pub fn base_url_env(self) -> &'static str {
        match self {
            Provider::OpenAi => "OPENAI_BASE_URL",
            Provider::Anthropic => "ANTHROPIC_BASE_URL",
        }
    }

    /// The variable that holds the key unless `--llm-api-key-env` names another.
    pub fn key_env(self) -> &'static str {
        match self {
            Provider::OpenAi => "OPENAI_API_KEY",
            Provider::Anthropic => "ANTHROPIC_API_KEY",
        }
    }

    /// The endpoint under a base URL.
    pub fn url(self, base: &str) -> String {
        let base = base.trim_end_matches('/');
        match self {
            Provider::OpenAi => format!("{base}/chat/completions"),
            Provider::Anthropic => format!("{base}/v1/messages"),
        }
    }

    /// The headers that carry the key and the protocol version.
    pub fn headers(self, key: Option<&str>) -> Vec<(&'static str, String)> {
        match self {
            Provider::OpenAi => openai::headers(key),
            Provider::Anthropic => anthropic::headers(key),
        }
    }

    pub fn body(self, p: &Prompt) -> Value {
        match self {
            Provider::OpenAi => openai::body(p),
            Provider::Anthropic => anthropic::body(p),
        }
    }

    /// Reads a successful response; an error says what was missing.
    pub fn reply(self, v: &Value) -> Result<Reply, String> {
        match self {
            Provider::OpenAi => openai::reply(v),
            Provider::Anthropic => anthropic::reply(v),
        }
    }
}

/// The answer contract as a JSON schema, for structured output.
pub fn answer_schema() -> Value {
    let int_or_null = json!({"type": ["integer", "null"]});
    let string = json!({"type": "string"});
    let finding = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["file", "line", "end_line", "quote", "severity", "category", "title",
                     "explanation", "suggestion", "verdict", "static_rule"],
        "properties": {
            "file": string, "line": {"type": "integer"}, "end_line": int_or_null,
            "quote": string,
            "severity": {"type": "string", "enum": ["critical", "high", "medium", "low", "info"]},
            "category": {"type": "string", "enum": ["leak", "goroutine", "errors", "complexity",
                         "concurrency", "security", "style", "correctness"]},
            "title": string, "explanation": string, "suggestion": string,
            "verdict": {"type": "string", "enum": ["new", "confirm", "dispute"]},
            "static_rule": {"type": ["string", "null"]},
        }
    });
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["findings"],
        "properties": { "findings": { "type": "array", "items": finding } }
    })
}

/// A usage count from a JSON number, if present.
fn count(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

/// Rough token count of a text (about four bytes a token), for answers without usage.
pub fn estimate_tokens(text: &str) -> u64 {
    (text.len() as u64).div_ceil(4)
}
