//! Reading the model's answer tolerantly: the JSON may come bare, in a code fence, or with prose
//! around it. What cannot be read is malformed (the unit is retried once, then failed).

use serde_json::Value;

/// The items of the answer's `findings` array (or of a bare array).
pub fn parse(text: &str) -> Result<Vec<Value>, String> {
    let text = text.trim();
    if let Some(items) = findings_of(serde_json::from_str(text).ok()) {
        return Ok(items);
    }
    for block in fenced_blocks(text) {
        if let Some(items) = findings_of(serde_json::from_str(block.trim()).ok()) {
            return Ok(items);
        }
    }
    embedded(text).ok_or_else(|| {
        let head: String = text.chars().take(80).collect();
        format!("the answer holds no findings JSON (it starts: {head:?})")
    })
}

/// The findings of a parsed value, if it has the contract's shape.
fn findings_of(v: Option<Value>) -> Option<Vec<Value>> {
    match v? {
        Value::Object(mut o) => match o.remove("findings")? {
            Value::Array(items) => Some(items),
            Value::Null => Some(Vec::new()),
            _ => None,
        },
        Value::Array(items) if items.iter().all(Value::is_object) => Some(items),
        _ => None,
    }
}

/// The bodies of Markdown code fences (```json ... ```).
fn fenced_blocks(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("```") {
        let after = &rest[start + 3..];
        let body_start = after.find('\n').map_or(after.len(), |i| i + 1);
        let body = &after[body_start..];
        let Some(end) = body.find("```") else { break };
        out.push(&body[..end]);
        rest = &body[end + 3..];
    }
    out
}

/// The first JSON value with findings that starts at a `{` or `[` inside prose.
fn embedded(text: &str) -> Option<Vec<Value>> {
    text.char_indices()
        .filter(|(_, c)| *c == '{' || *c == '[')
        .take(200)
        .find_map(|(i, _)| {
            let mut stream = serde_json::Deserializer::from_str(&text[i..]).into_iter::<Value>();
            findings_of(stream.next()?.ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_fenced_and_embedded_answers_parse() {
        let one = r#"{"findings": [{"file": "a.go", "line": 3}]}"#;
        assert_eq!(parse(one).unwrap().len(), 1);
        let fenced = format!("Here you go:\n```json\n{one}\n```\nDone.");
        assert_eq!(parse(&fenced).unwrap().len(), 1);
        let prose = format!("I found {{some}} things. {one} Hope that helps [1].");
        assert_eq!(parse(&prose).unwrap().len(), 1);
        assert_eq!(parse(r#"[{"file": "a.go"}]"#).unwrap().len(), 1);
        assert!(parse(r#"{"findings": []}"#).unwrap().is_empty());
    }

    #[test]
    fn malformed_answers_are_errors() {
        assert!(parse("I could not review this.").is_err());
        assert!(parse(r#"{"findings": [{"file": "a.go""#).is_err());
        assert!(parse(r#"{"other": 1}"#).is_err());
    }
}
