//! `extend = "../skill-lsp.toml"`: a config that starts from another. The
//! chain of files is read here, by the project resolver, so that the
//! command line and the editor follow it alike; `skill-core` sees one merged
//! text.

use std::path::{Path, PathBuf};

/// The text of the config file at `path` merged over every config it
/// `extend`s: the file's own settings win over those it extends (tables merge
/// key by key, `[[overrides]]` of the extended file come first). Relative
/// paths (`root`, `ignore`, `[[overrides]] files`) are relative to `path`'s folder.
pub fn merged_toml(path: &Path) -> Result<String, String> {
    let text = read(path)?;
    // Most configs extend nothing: their own text, not a re-serialised copy.
    if !text.contains("extend") {
        return Ok(text);
    }
    let table = load_table(path, &text, &mut Vec::new())?;
    toml::to_string(&table).map_err(|e| e.to_string())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot be read: {e}"))
}

/// The TOML table of `path` (whose text is `text`) merged over those it
/// extends; `seen` guards against cycles. An extended file's errors name it.
fn load_table(path: &Path, text: &str, seen: &mut Vec<PathBuf>) -> Result<toml::Table, String> {
    let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if seen.contains(&key) {
        return Err("`extend` leads back to this file".into());
    }
    seen.push(key);
    let mut table: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
    let Some(extend) = table.remove("extend") else {
        return Ok(table);
    };
    let Some(extend) = extend.as_str() else {
        return Err("`extend` must be the path of another skill-lsp.toml".into());
    };
    let base_path = path.parent().unwrap_or(Path::new(".")).join(extend);
    let mut base = read(&base_path)
        .and_then(|text| load_table(&base_path, &text, seen))
        .map_err(|e| format!("extend = \"{extend}\" ({}): {e}", base_path.display()))?;
    merge(&mut base, table);
    Ok(base)
}

/// `over` merged into `base`: tables key by key, `overrides` arrays appended,
/// anything else replaced.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (Some(toml::Value::Array(b)), toml::Value::Array(o)) if key == "overrides" => b.extend(o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_merge_key_by_key_and_overrides_append() {
        let mut base: toml::Table = toml::from_str(
            "root = \"a\"\n[rules]\nSK104 = \"off\"\nSK105 = \"error\"\n[[overrides]]\nfiles = [\"x\"]\n",
        )
        .unwrap();
        let over: toml::Table =
            toml::from_str("[rules]\nSK105 = \"warning\"\n[[overrides]]\nfiles = [\"y\"]\n").unwrap();
        merge(&mut base, over);
        assert_eq!(base["root"].as_str(), Some("a"));
        assert_eq!(base["rules"]["SK104"].as_str(), Some("off"));
        assert_eq!(
            base["rules"]["SK105"].as_str(),
            Some("warning"),
            "the extending file wins"
        );
        let files: Vec<&str> = base["overrides"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["files"][0].as_str().unwrap())
            .collect();
        assert_eq!(files, ["x", "y"], "the extended file's overrides first");
    }
}
