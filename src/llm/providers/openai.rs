//! OpenAI-compatible Chat Completions (`POST {base}/chat/completions`), with the answer asked
//! for as structured output (`response_format: json_schema`).

use super::{answer_schema, count, estimate_tokens, Prompt, Reply};
use serde_json::{json, Value};

pub fn headers(key: Option<&str>) -> Vec<(&'static str, String)> {
    key.map(|k| vec![("authorization", format!("Bearer {k}"))])
        .unwrap_or_default()
}

/// Models that take `max_completion_tokens` and refuse `max_tokens`.
fn reasoning_model(model: &str) -> bool {
    let m = model.rsplit('/').next().unwrap_or(model);
    m.starts_with("gpt-5")
        || (m.starts_with('o') && m[1..].starts_with(|c: char| c.is_ascii_digit()))
}

pub fn body(p: &Prompt) -> Value {
    let limit = if reasoning_model(p.model) {
        "max_completion_tokens"
    } else {
        "max_tokens"
    };
    json!({
        "model": p.model,
        "messages": [
            {"role": "system", "content": p.system},
            {"role": "user", "content": p.user},
        ],
        limit: p.max_output_tokens,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "audit_findings", "strict": true, "schema": answer_schema()},
        },
    })
}

pub fn reply(v: &Value) -> Result<Reply, String> {
    let message = v
        .pointer("/choices/0/message")
        .ok_or("the response has no choices[0].message")?;
    let text = match message.get("content").and_then(Value::as_str) {
        Some(t) => t.to_string(),
        None => match message.get("refusal").and_then(Value::as_str) {
            Some(r) => return Err(format!("the model refused: {r}")),
            None => String::new(),
        },
    };
    let usage = v.get("usage").cloned().unwrap_or(Value::Null);
    Ok(Reply {
        prompt_tokens: count(&usage, "prompt_tokens").unwrap_or(0),
        completion_tokens: count(&usage, "completion_tokens")
            .unwrap_or_else(|| estimate_tokens(&text)),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_content_and_usage() {
        let v = json!({"choices": [{"message": {"role": "assistant", "content": "{\"findings\": []}"}}],
                       "usage": {"prompt_tokens": 10, "completion_tokens": 3}});
        let r = reply(&v).unwrap();
        assert_eq!((r.prompt_tokens, r.completion_tokens), (10, 3));
        assert_eq!(r.text, "{\"findings\": []}");
        assert!(reply(&json!({"error": "x"})).is_err());
    }

    #[test]
    fn reasoning_models_get_max_completion_tokens() {
        let p = |model| Prompt {
            model,
            system: "s",
            user: "u",
            max_output_tokens: 5,
        };
        assert!(body(&p("gpt-5-mini"))
            .get("max_completion_tokens")
            .is_some());
        assert!(body(&p("o4-mini")).get("max_completion_tokens").is_some());
        assert!(body(&p("gpt-4o")).get("max_tokens").is_some());
        assert!(body(&p("llama3")).get("max_tokens").is_some());
    }
}
