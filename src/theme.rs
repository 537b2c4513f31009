//! Themes: the default theme embedded in the binary, overridden template by
//! template (and static file by static file) by `themes/<name>/` in the site.

use std::collections::BTreeMap;
use std::path::Path;

use tera::ast::{Expr, ExprVal, FunctionCall, Node};
use tera::Tera;
use walkdir::WalkDir;

use crate::error::{Error, Result};

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
}

impl Theme {
    /// Whether a page template may read the page's `variable`: some
    /// expression names it, or dumps the whole page data. A macro reads the
    /// page's data too, unless an argument of its own has the name. Pages
    /// leave out costly data no template reads. The templates that render
    /// fragments see the fragment's data, not a page's.
    pub fn reads(&self, variable: &str) -> bool {
        let fragments = Fragment::ALL.map(Fragment::template);
        self.templates
            .templates
            .iter()
            .filter(|(name, _)| !fragments.contains(&name.as_str()))
            .any(|(_, template)| nodes_read(&template.ast, variable))
    }
}

fn nodes_read(nodes: &[Node], variable: &str) -> bool {
    nodes.iter().any(|node| node_reads(node, variable))
}

fn node_reads(node: &Node, variable: &str) -> bool {
    match node {
        Node::VariableBlock(_, expr) => expr_reads(expr, variable),
        Node::Set(_, set) => expr_reads(&set.value, variable),
        Node::FilterSection(_, section, _) => {
            call_reads(&section.filter, variable) || nodes_read(&section.body, variable)
        }
        Node::Block(_, block, _) => nodes_read(&block.body, variable),
        Node::Forloop(_, forloop, _) => {
            expr_reads(&forloop.container, variable)
                || nodes_read(&forloop.body, variable)
                || forloop
                    .empty_body
                    .as_ref()
                    .is_some_and(|body| nodes_read(body, variable))
        }
        Node::If(branches, _) => {
            branches.conditions.iter().any(|(_, condition, body)| {
                expr_reads(condition, variable) || nodes_read(body, variable)
            }) || branches
                .otherwise
                .as_ref()
                .is_some_and(|(_, body)| nodes_read(body, variable))
        }
        Node::MacroDefinition(_, definition, _) => {
            definition
                .args
                .values()
                .flatten()
                .any(|default| expr_reads(default, variable))
                || (!definition.args.contains_key(variable)
                    && nodes_read(&definition.body, variable))
        }
        // The templates that render fragments read their item's data, which
        // a page including one would have to hold.
        Node::Include(_, names, _) => names.iter().any(|name| name.starts_with(INTERNAL)),
        Node::Super
        | Node::Text(_)
        | Node::Extends(..)
        | Node::ImportMacro(..)
        | Node::Raw(..)
        | Node::Break(_)
        | Node::Continue(_)
        | Node::Comment(..) => false,
    }
}

fn expr_reads(expr: &Expr, variable: &str) -> bool {
    value_reads(&expr.val, variable) || expr.filters.iter().any(|f| call_reads(f, variable))
}

fn call_reads(call: &FunctionCall, variable: &str) -> bool {
    call.args.values().any(|arg| expr_reads(arg, variable))
}

fn value_reads(value: &ExprVal, variable: &str) -> bool {
    match value {
        ExprVal::Ident(name) => names(name, variable),
        ExprVal::Test(test) => {
            names(&test.ident, variable) || test.args.iter().any(|a| expr_reads(a, variable))
        }
        ExprVal::Math(math) => expr_reads(&math.lhs, variable) || expr_reads(&math.rhs, variable),
        ExprVal::Logic(logic) => {
            expr_reads(&logic.lhs, variable) || expr_reads(&logic.rhs, variable)
        }
        ExprVal::In(within) => {
            expr_reads(&within.lhs, variable) || expr_reads(&within.rhs, variable)
        }
        ExprVal::MacroCall(call) => call.args.values().any(|arg| expr_reads(arg, variable)),
        ExprVal::FunctionCall(call) => call_reads(call, variable),
        ExprVal::Array(items) => items.iter().any(|item| expr_reads(item, variable)),
        ExprVal::StringConcat(concat) => concat.values.iter().any(|v| value_reads(v, variable)),
        ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => false,
    }
}

/// Whether the path `name` (`jump`, `jump.0`, `jump[i].url`) starts at
/// `variable`, or is the variable that holds the whole page data.
fn names(name: &str, variable: &str) -> bool {
    name == "__tera_context"
        || name
            .strip_prefix(variable)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        // `a[jump]`: an index taken from it.
        || name.contains(&format!("[{variable}"))
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
}

impl Fragment {
    pub const ALL: [Fragment; 3] = [Fragment::Card, Fragment::Entry, Fragment::Jump];

    fn macro_name(self) -> &'static str {
        match self {
            Fragment::Card => "article_card",
            Fragment::Entry => "timeline_entry",
            Fragment::Jump => "timeline_jump",
        }
    }

    /// The name the macro's item goes by, in the macro and in the template
    /// that calls it.
    pub fn argument(self) -> &'static str {
        match self {
            Fragment::Card => "article",
            Fragment::Entry => "entry",
            Fragment::Jump => "jump",
        }
    }

    /// The field of the item's view that carries the markup.
    pub fn field(self) -> &'static str {
        match self {
            Fragment::Card => "card_html",
            Fragment::Entry => "entry_html",
            Fragment::Jump => "jump_html",
        }
    }

    /// The internal template that calls the macro with its default
    /// arguments. Not a file name: no theme can replace it.
    pub fn template(self) -> &'static str {
        match self {
            Fragment::Card => concat!("newsdigest:", "card.html"),
            Fragment::Entry => concat!("newsdigest:", "entry.html"),
            Fragment::Jump => concat!("newsdigest:", "jump.html"),
        }
    }
}

/// How the names of internal templates start: no theme file can take them.
const INTERNAL: &str = "newsdigest:";

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
            templates
                .get_template("macros.html")
                .is_ok_and(|t| t.macros.contains_key(name))
        };
        // A theme made before the macro existed gets the default's, so that
        // the default templates it keeps still find the markup.
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
        let default = load(dir.path(), "default").unwrap();
        assert!(!default.reads("jump"), "only its macro and jump_html");
        assert!(default.reads("groups"));
        assert!(default.reads("paginator"), "read in base.html");

        let templates = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&templates).unwrap();
        let reads = |timeline: &str| {
            std::fs::write(templates.join("timeline.html"), timeline).unwrap();
            load(dir.path(), "default").unwrap().reads("jump")
        };
        assert!(reads("{{ jump | length }}"));
        assert!(reads("{% for year in jump %}{{ year.url }}{% endfor %}"));
        assert!(reads("{% if groups and jump.0 %}x{% endif %}"));
        assert!(reads("{% set all = __tera_context %}"));
        assert!(reads(
            "{% import \"macros.html\" as m %}{{ m::pagination(paginator=jump) }}"
        ));
        assert!(reads("{{ groups[jump] }}"));
        assert!(!reads("{{ jump_html | safe }}{{ jumper }}"));
        assert!(!reads(
            "{% macro list(jump) %}{{ jump }}{% endmacro list %}{{ \"jump\" }}"
        ));
        // A macro without an argument of that name reads the page's.
        assert!(reads(
            "{% macro nav() %}{% for y in jump %}{{ y.url }}{% endfor %}{% endmacro nav %}"
        ));
        assert!(reads("{% include \"newsdigest:jump.html\" %}"));
    }

    #[test]
    fn a_missing_theme_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let error = load(dir.path(), "broadsheet").err().unwrap().to_string();
        assert!(error.contains("`broadsheet`"), "{error}");
    }
}
