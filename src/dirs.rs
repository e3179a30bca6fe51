//! The user's base directories (XDG): where goaudit keeps its result cache, the dependency facts,
//! the LLM cache, its sessions and its user config. The one place that reads `$HOME` and the
//! `$XDG_*_HOME` variables.

use std::path::PathBuf;

/// The user's home folder: `$HOME`, else `%USERPROFILE%`.
fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// An XDG base directory: `$VAR` when absolute, else `~/<fallback>`.
fn xdg(var: &str, fallback: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home().map(|h| h.join(fallback)))
}

/// `~/.config` (or `$XDG_CONFIG_HOME`).
pub fn config_dir() -> Option<PathBuf> {
    xdg("XDG_CONFIG_HOME", ".config")
}

/// `~/.cache` (or `$XDG_CACHE_HOME`).
pub fn cache_dir() -> Option<PathBuf> {
    xdg("XDG_CACHE_HOME", ".cache")
}

/// `~/.local/share` (or `$XDG_DATA_HOME`).
pub fn data_dir() -> Option<PathBuf> {
    xdg("XDG_DATA_HOME", ".local/share")
}

/// goaudit's own cache folder: `$XDG_CACHE_HOME/goaudit`, else `~/.cache/goaudit`.
pub fn goaudit_cache() -> Option<PathBuf> {
    cache_dir().map(|d| d.join("goaudit"))
}
