//! `newsdigest new`: start an article, a person or a topic with its front
//! matter filled in. Never overwrites a file.

use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::error::{Error, Result};
use crate::load::CONTENT_DIR;
use crate::slug::slugify;

/// What to create.
pub enum NewItem<'a> {
    Article {
        title: &'a str,
        topics: Vec<String>,
        people: Vec<String>,
        /// Default: today in the site's time zone.
        date: Option<jiff::civil::Date>,
    },
    Person {
        name: &'a str,
    },
    Topic {
        name: &'a str,
    },
}

/// Splits a comma-separated command-line list: "Jeff Sessions, Kirstjen Nielsen".
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn front_matter(fields: Vec<(&str, Value)>, body: &str) -> Result<String> {
    let mut mapping = Mapping::new();
    for (key, value) in fields {
        mapping.insert(Value::from(key), value);
    }
    let yaml = serde_yaml::to_string(&mapping)
        .map_err(|e| Error::Usage(format!("could not write front matter: {e}")))?;
    Ok(format!("---\n{yaml}---\n{body}"))
}

fn list(items: &[String]) -> Value {
    Value::Sequence(items.iter().map(|i| Value::from(i.as_str())).collect())
}

/// Creates the file (an article in the site's articles folder, a profile
/// under `root/content/`) and returns its path.
pub fn create(root: &Path, item: NewItem) -> Result<PathBuf> {
    let is_site =
        root.join(CONTENT_DIR).is_dir() || root.join(crate::config::CONFIG_FILE).is_file();
    if !is_site {
        return Err(Error::Usage(format!(
            "{} is not a site (it has no content/ folder or site.yaml): use --root, or `newsdigest init DIR` to start one",
            root.display()
        )));
    }
    let (relative, text) = match item {
        NewItem::Article {
            title,
            topics,
            people,
            date,
        } => {
            let site = crate::config::load(root, None)?;
            let date = match date {
                Some(date) => date,
                None => jiff::Timestamp::now()
                    .to_zoned_datetime(site.timezone)
                    .date(),
            };
            let slug = non_empty_slug(title)?;
            // In the articles folder site.yaml names, if not content/articles.
            let relative = site
                .articles_dir
                .join(format!("{}/{date}-{slug}.md", date.year()));
            let mut fields = vec![
                ("title", Value::from(title.trim())),
                ("summary", Value::from("")),
            ];
            if !topics.is_empty() {
                fields.push(("topics", list(&topics)));
            }
            if !people.is_empty() {
                fields.push(("people", list(&people)));
            }
            let body = "Write the article here. The first paragraph is the summary unless `summary:` says otherwise.\n";
            (relative, front_matter(fields, body)?)
        }
        NewItem::Person { name } => {
            let relative =
                Path::new(CONTENT_DIR).join(format!("people/{}.md", non_empty_slug(name)?));
            let fields = vec![
                ("name", Value::from(name.trim())),
                ("role", Value::from("")),
                ("aliases", Value::Sequence(Vec::new())),
                ("description", Value::from("")),
            ];
            (relative, front_matter(fields, "A short biography.\n")?)
        }
        NewItem::Topic { name } => {
            let relative =
                Path::new(CONTENT_DIR).join(format!("topics/{}.md", non_empty_slug(name)?));
            let fields = vec![
                ("name", Value::from(name.trim())),
                ("aliases", Value::Sequence(Vec::new())),
                ("description", Value::from("")),
            ];
            (
                relative,
                front_matter(fields, "An introduction to the topic.\n")?,
            )
        }
    };
    let path = root.join(relative);
    if path.exists() {
        return Err(Error::Usage(format!(
            "{} already exists; nothing was written",
            path.display()
        )));
    }
    if let Some(parent) = path.parent() {
        crate::fs::create_dir_all(parent)?;
    }
    // create_new: never replace a file that appeared since the check above.
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| Error::io("create", &path, e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io("write", &path, e))?;
    Ok(path)
}

fn non_empty_slug(name: &str) -> Result<String> {
    let slug = slugify(name);
    if slug.is_empty() {
        return Err(Error::Usage(format!(
            "`{name}` has no letters or digits to make a file name from"
        )));
    }
    Ok(slug)
}
