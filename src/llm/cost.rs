//! Prices per model and the cost of a request. Defaults cover a few common models; the user's
//! own config (`~/.config/goaudit/config.toml`) and `goaudit.toml` add or override them.

use crate::config::PriceConfig;
use std::collections::BTreeMap;

/// Dollars per million input and output tokens, by model name (or model name prefix).
#[derive(Debug, Clone, Default)]
pub struct Prices(BTreeMap<String, PriceConfig>);

/// The built-in table: (model, input $/Mtok, output $/Mtok).
const DEFAULTS: &[(&str, f64, f64)] = &[
    ("gpt-4o-mini", 0.15, 0.60),
    ("gpt-4o", 2.50, 10.00),
    ("gpt-4.1", 2.00, 8.00),
    ("gpt-4.1-mini", 0.40, 1.60),
    ("gpt-4.1-nano", 0.10, 0.40),
    ("gpt-5", 1.25, 10.00),
    ("gpt-5-mini", 0.25, 2.00),
    ("o4-mini", 1.10, 4.40),
    ("claude-3-5-haiku", 0.80, 4.00),
    ("claude-haiku-4-5", 1.00, 5.00),
    ("claude-sonnet-4", 3.00, 15.00),
    ("claude-sonnet-4-5", 3.00, 15.00),
    ("claude-opus-4", 15.00, 75.00),
    ("claude-opus-4-1", 15.00, 75.00),
];

impl Prices {
    /// The built-in table.
    pub fn defaults() -> Prices {
        Prices(
            DEFAULTS
                .iter()
                .map(|&(m, input, output)| (m.to_string(), PriceConfig { input, output }))
                .collect(),
        )
    }

    /// Adds or replaces prices.
    pub fn extend(&mut self, more: &BTreeMap<String, PriceConfig>) {
        self.0.extend(more.iter().map(|(k, v)| (k.clone(), *v)));
    }

    /// The price of `model`: an exact entry, else the longest entry the name starts with
    /// (`gpt-4o-mini-2024-07-18` costs what `gpt-4o-mini` costs).
    pub fn get(&self, model: &str) -> Option<PriceConfig> {
        if let Some(p) = self.0.get(model) {
            return Some(*p);
        }
        self.0
            .iter()
            .filter(|(k, _)| model.starts_with(k.as_str()))
            .max_by_key(|(k, _)| k.len())
            .map(|(_, p)| *p)
    }

    /// The cost in dollars of a request, if the model has a price.
    pub fn cost(&self, model: &str, prompt_tokens: u64, completion_tokens: u64) -> Option<f64> {
        self.get(model)
            .map(|p| (prompt_tokens as f64 * p.input + completion_tokens as f64 * p.output) / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_models_cost_what_their_family_costs() {
        let p = Prices::defaults();
        assert_eq!(p.get("gpt-4o-mini-2024-07-18").unwrap().input, 0.15);
        assert_eq!(p.get("gpt-4o-2024-08-06").unwrap().input, 2.50);
        assert!(p.get("llama3").is_none());
        let c = p.cost("gpt-4o", 1_000_000, 100_000).unwrap();
        assert!((c - 3.5).abs() < 1e-9);
    }

    #[test]
    fn configured_prices_override_defaults() {
        let mut p = Prices::defaults();
        let mut more = BTreeMap::new();
        more.insert(
            "gpt-4o".to_string(),
            PriceConfig {
                input: 1.0,
                output: 1.0,
            },
        );
        more.insert(
            "llama3".to_string(),
            PriceConfig {
                input: 0.0,
                output: 0.0,
            },
        );
        p.extend(&more);
        assert_eq!(p.get("gpt-4o").unwrap().input, 1.0);
        assert_eq!(p.cost("llama3:8b", 10, 10), Some(0.0));
    }
}
