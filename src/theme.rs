//! Themes: the default theme embedded in the binary, overridden template by
//! template (and static file by static file) by `themes/<name>/` in the site.

use std::collections::BTreeMap;
use std::path::Path;

use tera::Tera;
use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::reads::Parts;

macro_rules! embedded_templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*]
    };
}

macro_rules! embedded_static {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../themes/default/static/", $name)))),*]
    };
}

/// The default theme's templates, as compiled into the binary.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = embedded_templates!(
    "base.html",
    "macros.html",
    "index.html",
    "article.html",
    "page.html",
    "topics.html",
    "topic.html",
    "people.html",
    "person.html",
    "timeline.html",
    "year.html",
    "month.html",
    "day.html",
    "404.html",
    "redirect.html",
    "search.html",
);

/// The default theme's static files.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = embedded_static!("style.css", "search.js");

/// Compiled templates and the static files to copy into the site's root.
pub struct Theme {
    pub templates: Tera,
    /// (path under the site root, bytes), sorted by path.
    pub static_files: Vec<(String, Vec<u8>)>,
    /// `page_reads`, once found: `serve` renders a page at a time.
    reads: std::sync::OnceLock<Parts>,
}

impl Theme {
    /// The parts of a page's data that some page template reads (see
    /// `reads`). The templates that render fragments see an item's data,
    /// not a page's.
    pub fn page_reads(&self) -> Parts {
        *self.reads.get_or_init(|| {
            let fragments = Fragment::ALL.map(Fragment::template);
            crate::reads::page_reads(&self.templates, &fragments)
        })
    }
}

/// A piece of markup that many pages show alike, written by a macro of the
/// theme's `macros.html` (or of the default theme's, when the theme's lacks
/// it): newsdigest renders it once per item and build, and pages carry the
/// result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fragment {
    /// An article in a list: `article_card(article)`, as `card_html`.
    Card,
    /// An article or event on a timeline: `timeline_entry(entry)`, as
    /// `entry_html`.
    Entry,
    /// A timeline's years and months, the same on each of its pages:
    /// `timeline_jump(jump)`, as `jump_html`.
    Jump,
    /// The site's navigation, the same on every page but those it links:
    /// `site_nav(nav)`, as `nav_html`.
    Nav,
}

impl Fragment {
    pub const ALL: [Fragment; 4] = [
        Fragment::Card,
        Fragment::Entry,
        Fragment::Jump,
        Fragment::Nav,
    ];

    fn macro_name(self) -> &'static str {
        match self {
            Fragment::Card => "article_card",
            Fragment::Entry => "timeline_entry",
            Fragment::Jump => "timeline_jump",
            Fragment::Nav => "site_nav",
        }
    }

    /// The name the macro's item goes by, in the macro and in the template
    /// that calls it.
    pub fn argument(self) -> &'static str {
        match self {
            Fragment::Card => "article",
            Fragment::Entry => "entry",
            Fragment::Jump => "jump",
            Fragment::Nav => "nav",
        }
    }

    /// The field of the item's view that carries the markup.
    pub fn field(self) -> &'static str {
        match self {
            Fragment::Card => "card_html",
            Fragment::Entry => "entry_html",
            Fragment::Jump => "jump_html",
            Fragment::Nav => "nav_html",
        }
    }

    /// The internal template that calls the macro with its default
    /// arguments. Not a file name: no theme can replace it.
    pub fn template(self) -> &'static str {
        match self {
            Fragment::Card => concat!("newsdigest:", "card.html"),
            Fragment::Entry => concat!("newsdigest:", "entry.html"),
            Fragment::Jump => concat!("newsdigest:", "jump.html"),
            Fragment::Nav => concat!("newsdigest:", "nav.html"),
        }
    }
}

/// How the names of internal templates start: no theme file can take them.
pub(crate) const INTERNAL: &str = "newsdigest:";

/// The default theme's `macros.html`, under a name no theme file can take.
const DEFAULT_MACROS: &str = concat!("newsdigest:", "macros.html");

/// Loads theme `name`: the embedded default, then the site's own
/// `themes/<name>/templates/` and `themes/<name>/static/` on top.
pub fn load(root: &Path, name: &str) -> Result<Theme> {
    let folder = root.join("themes").join(name);
    if name != "default" && !folder.is_dir() {
        return Err(Error::Usage(format!(
            "site.yaml names the theme `{name}`, but {} does not exist",
            folder.display()
        )));
    }
    let mut sources: BTreeMap<String, String> = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    for (relative, path) in files_under(&folder.join("templates"))? {
        sources.insert(relative, crate::fs::read_to_string(&path)?);
    }
    let mut static_files: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
        .iter()
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect();
    for (relative, path) in files_under(&folder.join("static"))? {
        static_files.insert(relative, crate::fs::read(&path)?);
    }

    let mut templates = Tera::default();
    templates.autoescape_on(vec![".html", ".xml"]);
    // Tera's own escaper also escapes `/`, which bloats every URL for nothing.
    templates.set_escape_fn(crate::html::escape);
    templates
        .add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| Error::template(&folder.join("templates").display().to_string(), &e))?;
    for fragment in Fragment::ALL {
        let (name, argument) = (fragment.macro_name(), fragment.argument());
        let has_macro = |templates: &Tera| {
            templates.get_template("macros.html").is_ok_and(|t| {
                t.macros
                    .get(name)
                    .is_some_and(|m| m.args.contains_key(argument))
            })
        };
        // A theme made before the macro existed gets the default's, so that
        // the default templates it keeps still find the markup; so does one
        // with a macro of that name for something else, which takes no
        // argument of that name.
        let macros = if has_macro(&templates) {
            "macros.html"
        } else {
            if !templates.get_template_names().any(|n| n == DEFAULT_MACROS) {
                let text = DEFAULT_TEMPLATES
                    .iter()
                    .find(|(file, _)| *file == "macros.html")
                    .map_or("", |(_, text)| text);
                templates
                    .add_raw_template(DEFAULT_MACROS, text)
                    .map_err(|e| Error::template("macros.html", &e))?;
            }
            DEFAULT_MACROS
        };
        templates
            .add_raw_template(
                fragment.template(),
                &format!(
                    r#"{{% import "{macros}" as m %}}{{{{ m::{name}({argument}={argument}) }}}}"#
                ),
            )
            .map_err(|e| Error::template("macros.html", &e))?;
    }
    Ok(Theme {
        templates,
        static_files: static_files.into_iter().collect(),
        reads: std::sync::OnceLock::new(),
    })
}

/// Files below `dir` as (forward-slash relative path, full path), sorted.
fn files_under(dir: &Path) -> Result<Vec<(String, std::path::PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io("read", dir, e.into()))?;
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            files.push((
                crate::model::to_url_path(relative),
                entry.path().to_path_buf(),
            ));
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reads::Part;

    #[test]
    fn the_embedded_theme_compiles() {
        let dir = tempfile::tempdir().unwrap();
        let theme = load(dir.path(), "default").unwrap();
        assert!(theme
            .templates
            .get_template_names()
            .any(|n| n == "article.html"));
        assert!(theme.static_files.iter().any(|(n, _)| n == "style.css"));
    }

    #[test]
    fn a_site_template_overrides_the_embedded_one() {
        let dir = tempfile::tempdir().unwrap();
        let templates = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(templates.join("404.html"), "custom").unwrap();
        let theme = load(dir.path(), "default").unwrap();
        let html = theme
            .templates
            .render("404.html", &tera::Context::new())
            .unwrap();
        assert_eq!(html, "custom");
    }

    #[test]
    fn what_page_templates_read_is_found_outside_macros() {
        let dir = tempfile::tempdir().unwrap();
        let default = load(dir.path(), "default").unwrap().page_reads();
        assert_eq!(default, Parts::default(), "only the markup of each part");

        let templates = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&templates).unwrap();
        // What the default theme reads with this timeline.html.
        let page_reads = |timeline: &str| {
            std::fs::write(templates.join("timeline.html"), timeline).unwrap();
            load(dir.path(), "default").unwrap().page_reads()
        };
        let reads = |part: Part, timeline: &str| {
            let reads = page_reads(timeline);
            Part::ALL.iter().all(|p| reads.contains(*p) == (*p == part))
        };
        let jump = |timeline: &str| reads(Part::Jump, timeline);
        assert!(jump("{{ jump | length }}"));
        assert!(jump("{% for year in jump %}{{ year.url }}{% endfor %}"));
        assert!(jump("{% if groups and jump.0 %}x{% endif %}"));
        assert!(jump(
            "{% import \"macros.html\" as m %}{{ m::pagination(paginator=jump) }}"
        ));
        assert!(jump("{{ topics[jump] }}"));
        assert!(!jump("{{ jump_html | safe }}{{ jumper }}"));
        assert!(!jump(
            "{% macro list(jump) %}{{ jump }}{% endmacro list %}{{ \"jump\" }}"
        ));
        // A macro without an argument of that name reads the page's.
        assert!(jump(
            "{% macro nav() %}{% for y in jump %}{{ y.url }}{% endfor %}{% endmacro nav %}"
        ));

        let card = |timeline: &str| reads(Part::Card, timeline);
        assert!(card("{% for a in latest %}{{ a.title }}{% endfor %}"));
        assert!(card("{{ articles[0].url }}"));
        assert!(card(
            "{% for a in article.related %}{{ a[\"url\"] }}{% endfor %}"
        ));
        assert!(card(
            "{% for d in days %}{% for a in d.articles %}{% if a.summary %}x{% endif %}{% endfor %}{% endfor %}"
        ));
        assert!(card("{{ mentions | json_encode }}"));
        assert!(card("{% for a in mentions %}{{ a }}{% endfor %}"));
        assert!(card("{% for a in mentions %}{% set b = a %}{% endfor %}"));
        assert!(card("{% for k, v in mentions.0 %}{{ k }}{% endfor %}"));
        assert!(card(
            "{% macro c(x) %}{{ x.title }}{% endmacro c %}{% for a in latest %}{{ self::c(x=a) }}{% endfor %}"
        ));
        assert!(card(
            "{% macro c(x) %}{% for a in x %}{{ a.title }}{% endfor %}{% endmacro c %}{{ self::c(x=article.related) }}"
        ));
        assert!(card(
            "{% import \"macros.html\" as m %}{% for a in latest %}{{ m::article_card(article=a) }}{% endfor %}"
        ));
        assert!(!card(
            "{% for a in latest %}{{ a.card_html | safe }}{% endfor %}{{ latest | length }}{% if mentions %}{% endif %}"
        ));
        assert!(!card("{% for a in topics %}{{ a.title }}{% endfor %}"));
        // A loop variable hides the page's data of that name.
        assert!(!card(
            "{% for latest in topics %}{{ latest.0.title }}{% endfor %}"
        ));

        let entry = |timeline: &str| reads(Part::Entry, timeline);
        assert!(entry(
            "{% for g in groups %}{% for e in g.entries %}{% if e.kind == \"event\" %}x{% endif %}{% endfor %}{% endfor %}"
        ));
        assert!(entry("{{ groups.0.entries.0.title }}"));
        assert!(!entry(
            "{% for g in groups %}{{ g.label }}{{ g.entries | length }}{% endfor %}"
        ));

        let all = |timeline: &str| page_reads(timeline) == Parts::all();
        assert!(all("{% set all = __tera_context %}"));
        assert!(all("{% include \"newsdigest:jump.html\" %}"));

        // A macro that calls itself is followed once per set of arguments.
        let none = |timeline: &str| page_reads(timeline) == Parts::default();
        assert!(none(
            "{% macro r(n) %}{{ self::r(n=n) }}{{ self::r(n=n) }}{{ self::r(n=n) }}{% endmacro r %}{{ self::r(n=1) }}"
        ));
        assert!(none("{{ topics[\"]\"] | default(value=\"\") }}"));
        assert!(
            card("{{ latest.0 | length }}"),
            "how many fields a card has"
        );
        assert!(card(
            "{% macro c(x) %}{% if x %}{{ self::c(x=x) }}{% endif %}{{ x.0.title }}{% endmacro c %}{{ self::c(x=latest) }}"
        ));

        // A block a template fills in for the one it extends sees that one's
        // loop variables.
        std::fs::write(
            templates.join("list.html"),
            "{% for article in latest %}{% filter trim %}{% block item %}{{ article.card_html | safe }}{% endblock item %}{% endfilter %}{% endfor %}",
        )
        .unwrap();
        assert!(card(
            "{% extends \"list.html\" %}{% block item %}[{{ article.title }}]{% endblock item %}"
        ));
        assert!(!card(
            "{% extends \"list.html\" %}{% block item %}[{{ article.card_html }}]{% endblock item %}"
        ));
    }

    #[test]
    fn a_missing_theme_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let error = load(dir.path(), "broadsheet").err().unwrap().to_string();
        assert!(error.contains("`broadsheet`"), "{error}");
    }
}
