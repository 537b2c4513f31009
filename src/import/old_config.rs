//! The old site's own settings (title, address, language, time zone), read
//! from where each generator keeps them, for the new site.yaml.

use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::dialect::Preset;

/// What the new site.yaml takes from the old site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OldSettings {
    /// The file they were read from, if one was found.
    pub file: Option<PathBuf>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub language: Option<String>,
    pub timezone: Option<String>,
}

/// Where each generator keeps its settings, in the order it looks.
fn candidates(preset: Preset) -> &'static [&'static str] {
    match preset {
        Preset::Jekyll => &["_config.yml", "_config.yaml"],
        Preset::Hugo => &[
            "hugo.toml",
            "hugo.yaml",
            "hugo.yml",
            "config.toml",
            "config.yaml",
            "config.yml",
            "config/_default/hugo.toml",
            "config/_default/config.toml",
        ],
        Preset::Eleventy => &[
            "_data/metadata.json",
            "_data/site.json",
            "src/_data/metadata.json",
            "src/_data/site.json",
        ],
    }
}

/// Reads the old site's settings; a file that cannot be read or parsed gives
/// `Err` with the reason (the new site.yaml then keeps its defaults).
pub fn read(source: &Path, preset: Preset) -> Result<OldSettings, (PathBuf, String)> {
    let Some(file) = candidates(preset)
        .iter()
        .map(|c| source.join(c))
        .find(|p| p.is_file())
    else {
        return Ok(OldSettings::default());
    };
    let fail = |reason: String| (file.clone(), reason);
    let text = std::fs::read_to_string(&file).map_err(|e| fail(e.to_string()))?;
    let extension = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let mapping: Mapping = match extension {
        "toml" => {
            let table: toml::Table =
                toml::from_str(&text).map_err(|e| fail(e.message().to_string()))?;
            serde_yaml::to_value(&table)
                .ok()
                .and_then(|v| v.as_mapping().cloned())
                .unwrap_or_default()
        }
        "json" => {
            let json: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| fail(e.to_string()))?;
            serde_yaml::to_value(&json)
                .ok()
                .and_then(|v| v.as_mapping().cloned())
                .unwrap_or_default()
        }
        _ => serde_yaml::from_str::<Option<Mapping>>(&text)
            .map_err(|e| fail(crate::frontmatter::strip_location(&e)))?
            .unwrap_or_default(),
    };
    let text_of = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|key| {
            let mut value = Some(Value::Mapping(mapping.clone()));
            for part in key.split('.') {
                value = value?.get(part).cloned();
            }
            value?
                .as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        })
    };
    let base_url = match preset {
        // Jekyll splits the address into `url` and `baseurl`.
        Preset::Jekyll => text_of(&["url"]).map(|url| {
            let base = text_of(&["baseurl"]).unwrap_or_default();
            format!("{}/{}", url.trim_end_matches('/'), base.trim_matches('/'))
        }),
        Preset::Hugo => text_of(&["baseURL", "baseurl", "baseUrl"]),
        Preset::Eleventy => text_of(&["url", "baseUrl", "baseURL"]),
    };
    Ok(OldSettings {
        title: text_of(&["title", "name"]),
        description: text_of(&["description", "params.description", "tagline"]),
        base_url: base_url.map(|url| format!("{}/", url.trim_end_matches('/'))),
        language: text_of(&["lang", "language", "languageCode", "locale"]),
        timezone: text_of(&["timezone", "timeZone"]),
        file: Some(file),
    })
}

impl OldSettings {
    /// The new site.yaml: the settings that are valid, each once.
    pub fn site_yaml(&self, source_shown: &Path) -> String {
        let mut lines = Vec::new();
        match &self.file {
            Some(file) => lines.push(format!(
                "# Written by `newsdigest import` from {}.",
                file.strip_prefix(source_shown)
                    .map(|f| source_shown.join(f))
                    .unwrap_or_else(|_| file.clone())
                    .display()
            )),
            None => lines.push("# Written by `newsdigest import`.".to_string()),
        }
        let quoted = |text: &str| {
            serde_yaml::to_string(&Value::String(text.to_string()))
                .map(|s| s.trim_end().to_string())
                .unwrap_or_default()
        };
        let base_url = self.base_url.as_deref().filter(|url| {
            (url.starts_with("https://") || url.starts_with("http://"))
                && !url.contains(['"', '<', '>', ' ', '\\'])
        });
        let timezone = self
            .timezone
            .as_deref()
            .filter(|zone| jiff::tz::TimeZone::get(zone).is_ok());
        let language = self.language.as_deref().map(|l| l.replace('_', "-"));
        for (key, value) in [
            ("title", self.title.as_deref()),
            ("description", self.description.as_deref()),
            ("base_url", base_url),
            ("language", language.as_deref()),
            ("timezone", timezone),
        ] {
            if let Some(value) = value {
                lines.push(format!("{key}: {}", quoted(value)));
            }
        }
        lines.push(String::new());
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(preset: Preset, file: &str, text: &str) -> OldSettings {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        let mut settings = read(dir.path(), preset).unwrap();
        settings.file = None;
        settings
    }

    #[test]
    fn each_generator_s_settings() {
        let jekyll = settings(
            Preset::Jekyll,
            "_config.yml",
            "title: Notes\nurl: https://x.example\nbaseurl: /notes\ntimezone: Europe/Lisbon\nlang: pt_PT\n",
        );
        assert_eq!(jekyll.base_url.as_deref(), Some("https://x.example/notes/"));
        assert_eq!(
            jekyll.site_yaml(Path::new("old")),
            "# Written by `newsdigest import`.\ntitle: Notes\nbase_url: https://x.example/notes/\nlanguage: pt-PT\ntimezone: Europe/Lisbon\n"
        );
        let hugo = settings(
            Preset::Hugo,
            "config/_default/hugo.toml",
            "baseURL = 'https://v.example'\ntitle = 'Valley'\n[params]\ndescription = 'Weekly'\n",
        );
        assert_eq!(hugo.base_url.as_deref(), Some("https://v.example/"));
        assert_eq!(hugo.description.as_deref(), Some("Weekly"));
        let eleventy = settings(
            Preset::Eleventy,
            "_data/metadata.json",
            r#"{"title": "Ledger", "url": "https://l.example/", "language": "en"}"#,
        );
        assert_eq!(eleventy.title.as_deref(), Some("Ledger"));
    }

    #[test]
    fn invalid_values_are_left_out() {
        let odd = settings(
            Preset::Jekyll,
            "_config.yml",
            "title: \"Yes: no\"\nurl: not a url\ntimezone: Moon/Base\n",
        );
        assert_eq!(
            odd.site_yaml(Path::new("old")),
            "# Written by `newsdigest import`.\ntitle: 'Yes: no'\n"
        );
    }
}
