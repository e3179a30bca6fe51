//! Anthropic Messages (`POST {base}/v1/messages`). The answer is asked for as the input of a
//! forced tool call (`report_findings`), Anthropic's structured output.

use super::{answer_schema, count, estimate_tokens, Prompt, Reply};
use serde_json::{json, Value};

const VERSION: &str = "2023-06-01";
const TOOL: &str = "report_findings";

pub fn headers(key: Option<&str>) -> Vec<(&'static str, String)> {
    let mut h = vec![("anthropic-version", VERSION.to_string())];
    if let Some(k) = key {
        h.push(("x-api-key", k.to_string()));
    }
    h
}

pub fn body(p: &Prompt) -> Value {
    json!({
        "model": p.model,
        "max_tokens": p.max_output_tokens,
        "system": p.system,
        "messages": [{"role": "user", "content": p.user}],
        "tools": [{
            "name": TOOL,
            "description": "Report the review's findings.",
            "input_schema": answer_schema(),
        }],
        "tool_choice": {"type": "tool", "name": TOOL},
    })
}

pub fn reply(v: &Value) -> Result<Reply, String> {
    let blocks = v
        .get("content")
        .and_then(Value::as_array)
        .ok_or("the response has no content")?;
    let tool = blocks
        .iter()
        .find(|b| b.get("type").and_then(Value::as_str) == Some("tool_use"))
        .and_then(|b| b.get("input"));
    let text = match tool {
        Some(input) => input.to_string(),
        None => blocks
            .iter()
            .filter_map(|b| b.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let usage = v.get("usage").cloned().unwrap_or(Value::Null);
    Ok(Reply {
        prompt_tokens: count(&usage, "input_tokens").unwrap_or(0),
        completion_tokens: count(&usage, "output_tokens").unwrap_or_else(|| estimate_tokens(&text)),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_tool_input_or_the_text() {
        let v = json!({"content": [{"type": "tool_use", "name": TOOL, "input": {"findings": []}}],
                       "usage": {"input_tokens": 7, "output_tokens": 2}});
        let r = reply(&v).unwrap();
        assert_eq!(r.text, "{\"findings\":[]}");
        assert_eq!((r.prompt_tokens, r.completion_tokens), (7, 2));
        let v = json!({"content": [{"type": "text", "text": "here: {\"findings\": []}"}]});
        assert_eq!(reply(&v).unwrap().text, "here: {\"findings\": []}");
    }
}
