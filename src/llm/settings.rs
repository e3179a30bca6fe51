//! The LLM review's settings, resolved once from flags, the environment, the user's own config
//! (`~/.config/goaudit/config.toml`) and the audited repository's `goaudit.toml`.
//!
//! Trust (docs/architecture.md): the provider, the endpoint and the key come only from flags,
//! the environment or the user's config. The repository may choose the model and the budget; a
//! budget it sets can lower the user's own, never raise it. The user's prices win over its.

use super::cost::Prices;
use super::providers::Provider;
use crate::config::{PriceConfig, RepoLlmConfig};
use crate::dirs::{cache_dir, config_dir, data_dir};
use crate::finding::Severity;
use anyhow::{anyhow, bail, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// What the command line asks of the LLM review (the `--llm-*` flags, `cli::LlmFlags`).
#[derive(Debug, Clone, Default)]
pub struct LlmArgs {
    pub llm: bool,
    pub llm_plan: bool,
    pub llm_provider: Option<String>,
    pub llm_model: Option<String>,
    pub llm_base_url: Option<String>,
    pub llm_api_key_env: Option<String>,
    pub llm_concurrency: Option<usize>,
    pub llm_timeout: Option<f64>,
    pub llm_retries: Option<u32>,
    pub llm_max_cost: Option<f64>,
    pub llm_max_tokens: Option<u64>,
    pub llm_fail_on: Option<Severity>,
    pub llm_no_cache: bool,
    pub db: Option<PathBuf>,
}

/// Everything the review needs, resolved.
#[derive(Debug, Clone)]
pub struct LlmSettings {
    pub provider: Provider,
    pub model: String,
    pub base_url: String,
    /// Never printed or stored.
    pub api_key: Option<String>,
    pub concurrency: usize,
    pub timeout: Duration,
    pub retries: u32,
    /// The first retry's delay when the server gives no `Retry-After`; doubled each time.
    pub backoff: Duration,
    pub max_cost: Option<f64>,
    pub max_tokens: Option<u64>,
    /// The code budget of one review unit, in estimated tokens.
    pub unit_tokens: usize,
    /// The most tokens the model may answer with.
    pub max_output_tokens: u32,
    pub fail_on: Option<Severity>,
    pub prices: Prices,
    /// `None`: no response cache.
    pub cache_dir: Option<PathBuf>,
    /// The sessions database; `None` when no data dir is known.
    pub db: Option<PathBuf>,
    pub plan_only: bool,
}

/// `[llm]` in the user's own `~/.config/goaudit/config.toml` (trusted: it may name endpoints).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UserLlmConfig {
    pub provider: Option<String>,
    pub model: Option<String>,
    pub base_url: Option<String>,
    pub api_key_env: Option<String>,
    pub concurrency: Option<usize>,
    pub timeout: Option<f64>,
    pub retries: Option<u32>,
    pub max_cost: Option<f64>,
    pub max_tokens: Option<u64>,
    pub unit_tokens: Option<usize>,
    pub max_output_tokens: Option<u32>,
    #[serde(default)]
    pub prices: BTreeMap<String, PriceConfig>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserConfig {
    #[serde(default)]
    llm: UserLlmConfig,
}

/// Reads the user's config, if there is one.
pub fn user_config() -> Result<UserLlmConfig> {
    let Some(path) = config_dir().map(|d| d.join("goaudit").join("config.toml")) else {
        return Ok(UserLlmConfig::default());
    };
    if !path.is_file() {
        return Ok(UserLlmConfig::default());
    }
    let text = crate::bounded::read_text(&path, crate::bounded::CONFIG_LIMIT, "config")?;
    let cfg: UserConfig = toml::from_str(&text).map_err(|e| {
        anyhow!(
            "{}: {}",
            path.display(),
            e.to_string().lines().collect::<Vec<_>>().join(" ")
        )
    })?;
    Ok(cfg.llm)
}

/// Resolves the settings; `env` reads an environment variable (the tests pass their own).
pub fn resolve(
    args: &LlmArgs,
    repo: &RepoLlmConfig,
    user: &UserLlmConfig,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<LlmSettings> {
    repo.check_trust()?;
    let model_hint = args
        .llm_model
        .as_ref()
        .or(repo.model.as_ref())
        .or(user.model.as_ref());
    let provider = provider(args, user, model_hint, env)?;
    let model = model_hint
        .cloned()
        .unwrap_or_else(|| provider.default_model().to_string());
    let (base_url, api_key) = endpoint(args, user, provider, env)?;
    let mut prices = Prices::defaults();
    prices.extend(&repo.prices);
    prices.extend(&user.prices);
    let max_cost = args.llm_max_cost.or(lower(repo.max_cost, user.max_cost));
    if max_cost.is_some() && prices.get(&model).is_none() {
        bail!("no price known for model `{model}`, so --llm-max-cost cannot be kept: add [llm.prices.\"{model}\"] input = ..., output = ... (dollars per million tokens) to ~/.config/goaudit/config.toml");
    }
    let (concurrency, timeout) = limits(args, user)?;
    Ok(LlmSettings {
        provider,
        model,
        base_url,
        api_key,
        concurrency,
        timeout,
        retries: args.llm_retries.or(user.retries).unwrap_or(2),
        backoff: Duration::from_millis(500),
        max_cost,
        max_tokens: args
            .llm_max_tokens
            .or(lower(repo.max_tokens, user.max_tokens)),
        unit_tokens: repo
            .unit_tokens
            .or(user.unit_tokens)
            .unwrap_or(16_000)
            .max(500),
        max_output_tokens: user.max_output_tokens.unwrap_or(4096),
        fail_on: args.llm_fail_on,
        prices,
        cache_dir: (!args.llm_no_cache)
            .then(|| cache_dir().map(|d| d.join("goaudit").join("llm")))
            .flatten(),
        db: args
            .db
            .clone()
            .or_else(|| data_dir().map(|d| d.join("goaudit").join("sessions.db"))),
        plan_only: args.llm_plan,
    })
}

/// The base URL and the key: from flags, the environment or the user's config, never the
/// repository's. The official endpoints need a key (unless only planning).
fn endpoint(
    args: &LlmArgs,
    user: &UserLlmConfig,
    provider: Provider,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(String, Option<String>)> {
    let base_url = args
        .llm_base_url
        .clone()
        .or_else(|| env(provider.base_url_env()))
        .or_else(|| user.base_url.clone())
        .unwrap_or_else(|| provider.default_base_url().to_string());
    check_url(&base_url)?;
    let key_env = args
        .llm_api_key_env
        .clone()
        .or_else(|| user.api_key_env.clone())
        .unwrap_or_else(|| provider.key_env().to_string());
    let api_key = env(&key_env).filter(|k| !k.is_empty());
    if api_key.is_none() && !args.llm_plan && base_url == provider.default_base_url() {
        bail!("--llm needs an API key for {}: set {key_env} (or point --llm-base-url at an OpenAI-compatible server that needs none)", provider.name());
    }
    Ok((base_url, api_key))
}

/// The longest per-request timeout accepted, in seconds (a day): anything longer is a typo, and
/// a value past `u64` seconds could not even become a `Duration`.
const MAX_TIMEOUT_SECS: f64 = 86_400.0;

/// The concurrency and the per-request timeout, checked.
fn limits(args: &LlmArgs, user: &UserLlmConfig) -> Result<(usize, Duration)> {
    let concurrency = args.llm_concurrency.or(user.concurrency).unwrap_or(4);
    if concurrency == 0 {
        bail!("--llm-concurrency must be at least 1");
    }
    let timeout = match (args.llm_timeout, user.timeout) {
        (Some(t), _) => checked_timeout(t, "--llm-timeout")?,
        (None, Some(t)) => checked_timeout(t, "`timeout` in [llm] of the user's config.toml")?,
        (None, None) => Duration::from_secs(120),
    };
    Ok((concurrency, timeout))
}

/// `seconds` as a `Duration` if it is in (0, `MAX_TIMEOUT_SECS`]; else an error naming `what`
/// and the valid range.
fn checked_timeout(seconds: f64, what: &str) -> Result<Duration> {
    if !(seconds > 0.0 && seconds <= MAX_TIMEOUT_SECS) {
        bail!("{what} is {seconds}: it must be more than 0 and at most {MAX_TIMEOUT_SECS} seconds");
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// The smaller of two optional limits.
fn lower<T: PartialOrd>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if a < b { a } else { b }),
        (a, b) => a.or(b),
    }
}

fn provider(
    args: &LlmArgs,
    user: &UserLlmConfig,
    model: Option<&String>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Provider> {
    if let Some(name) = args.llm_provider.as_ref().or(user.provider.as_ref()) {
        return Provider::parse(name)
            .ok_or_else(|| anyhow!("unknown LLM provider `{name}` (openai, anthropic)"));
    }
    if model.is_some_and(|m| m.starts_with("claude")) {
        return Ok(Provider::Anthropic);
    }
    let has = |k: &str| env(k).is_some_and(|v| !v.is_empty());
    if has("ANTHROPIC_API_KEY") && !has("OPENAI_API_KEY") && !has("OPENAI_BASE_URL") {
        return Ok(Provider::Anthropic);
    }
    Ok(Provider::OpenAi)
}

fn check_url(url: &str) -> Result<()> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        bail!("the LLM base URL `{url}` must start with http:// or https://");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn endpoint_and_key_come_from_flags_and_environment() {
        let args = LlmArgs {
            llm: true,
            ..Default::default()
        };
        let env = env_of(&[
            ("OPENAI_API_KEY", "k"),
            ("OPENAI_BASE_URL", "http://127.0.0.1:9/v1"),
        ]);
        let s = resolve(
            &args,
            &RepoLlmConfig::default(),
            &UserLlmConfig::default(),
            &env,
        )
        .unwrap();
        assert_eq!(s.provider, Provider::OpenAi);
        assert_eq!(s.base_url, "http://127.0.0.1:9/v1");
        assert_eq!(s.api_key.as_deref(), Some("k"));
        assert_eq!(s.concurrency, 4);
    }

    #[test]
    fn a_missing_key_for_the_official_endpoint_is_a_usage_error() {
        let args = LlmArgs {
            llm: true,
            ..Default::default()
        };
        let err = resolve(
            &args,
            &RepoLlmConfig::default(),
            &UserLlmConfig::default(),
            &|_| None,
        )
        .unwrap_err();
        assert!(err.to_string().contains("OPENAI_API_KEY"), "{err}");
        let plan = LlmArgs {
            llm_plan: true,
            ..Default::default()
        };
        assert!(resolve(
            &plan,
            &RepoLlmConfig::default(),
            &UserLlmConfig::default(),
            &|_| None
        )
        .is_ok());
    }

    #[test]
    fn a_timeout_out_of_range_is_an_error_naming_the_range() {
        let plan = |llm_timeout| LlmArgs {
            llm_plan: true,
            llm_timeout,
            ..Default::default()
        };
        let repo = RepoLlmConfig::default();
        for bad in [1e20, f64::INFINITY, f64::NAN, 0.0, -1.0, 86_401.0] {
            let err = resolve(&plan(Some(bad)), &repo, &UserLlmConfig::default(), &|_| {
                None
            })
            .unwrap_err()
            .to_string();
            assert!(err.contains("--llm-timeout"), "{err}");
            assert!(err.contains("at most 86400 seconds"), "{err}");
            let user = UserLlmConfig {
                timeout: Some(bad),
                ..Default::default()
            };
            let err = resolve(&plan(None), &repo, &user, &|_| None)
                .unwrap_err()
                .to_string();
            assert!(err.contains("`timeout` in [llm]"), "{err}");
        }
        let s = resolve(
            &plan(Some(86_400.0)),
            &repo,
            &UserLlmConfig::default(),
            &|_| None,
        );
        assert_eq!(s.unwrap().timeout, Duration::from_secs(86_400));
    }

    #[test]
    fn the_repository_lowers_budgets_but_never_raises_them() {
        let repo: RepoLlmConfig =
            toml::from_str("max-cost = 5.0\nmodel = \"claude-sonnet-4-5\"").unwrap();
        let user = UserLlmConfig {
            max_cost: Some(1.0),
            ..Default::default()
        };
        let args = LlmArgs {
            llm_plan: true,
            ..Default::default()
        };
        let s = resolve(&args, &repo, &user, &|_| None).unwrap();
        assert_eq!(s.max_cost, Some(1.0));
        assert_eq!(s.provider, Provider::Anthropic);
    }
}
