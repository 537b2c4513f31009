//! Pieces of pages that many pages show alike: an article's card in every
//! list, an article's or event's entry on every timeline that holds it. Each
//! is rendered once per build, by the theme's own macro (see
//! `theme::Fragment`), the first time a page that is rendered needs it.
//!
//! Until then a page's data holds a stand-in, and a page's key leaves the
//! fragment out: it follows from the item's own data beside it, and from
//! the theme, which every key holds. A page kept from the previous build
//! renders no fragment.

use std::sync::OnceLock;

use serde::Serialize;
use serde_json::{Map, Value};
use tera::Context;

use crate::error::{Error, Result};
use crate::theme::{Fragment, Theme};

/// Starts a stand-in: no text from content reaches a fragment's field.
const STAND_IN: &str = "\u{0}fragment ";

/// Whether `value`, under `key` in a page's data, stands for a fragment.
pub(super) fn is_stand_in(key: &str, value: &Value) -> bool {
    value.as_str().is_some_and(|s| s.starts_with(STAND_IN))
        && Fragment::ALL.iter().any(|f| f.field() == key)
}

pub(super) struct Fragments {
    fragment: Fragment,
    /// One per item; empty when the theme does not write this fragment.
    rendered: Vec<OnceLock<String>>,
}

impl Fragments {
    /// Room for `count` items.
    pub(super) fn new(fragment: Fragment, count: usize) -> Self {
        Fragments {
            fragment,
            rendered: (0..count).map(|_| OnceLock::new()).collect(),
        }
    }

    /// What stands for item `n`'s markup in a page's data until the page is
    /// rendered; None once the set is cleared.
    pub(super) fn stand_in(&self, n: usize) -> Option<String> {
        (n < self.rendered.len()).then(|| format!("{STAND_IN}{n}"))
    }

    /// Puts the markup in the item `map`, if the item's field for this
    /// fragment holds a stand-in.
    fn replace_in(&self, theme: &Theme, map: &mut Map<String, Value>) -> Result<()> {
        let field = self.fragment.field();
        let Some(n) = map
            .get(field)
            .and_then(Value::as_str)
            .and_then(|s| s.strip_prefix(STAND_IN))
            .and_then(|n| n.parse::<usize>().ok())
        else {
            return Ok(());
        };
        match (
            self.rendered.get(n).and_then(OnceLock::get),
            map.get_mut(field),
        ) {
            (Some(html), Some(slot)) => *slot = Value::String(html.clone()),
            _ => {
                // The macro sees the item without the stand-in.
                map.remove(field);
                let html = self.get(theme, n, map)?.to_string();
                map.insert(field.to_string(), Value::String(html));
            }
        }
        Ok(())
    }

    /// Item `n`'s markup, rendered from `item` if no page asked for it yet.
    pub(super) fn get(&self, theme: &Theme, n: usize, item: &impl Serialize) -> Result<&str> {
        self.get_with(theme, n, || item)
    }

    /// `get`, with the item made only if its markup is not rendered yet.
    pub(super) fn get_with<T: Serialize>(
        &self,
        theme: &Theme,
        n: usize,
        item: impl FnOnce() -> T,
    ) -> Result<&str> {
        let cell = &self.rendered[n];
        if let Some(html) = cell.get() {
            return Ok(html);
        }
        let mut context = Context::new();
        context.insert(self.fragment.argument(), &item());
        let mut html = theme
            .templates
            .render(self.fragment.template(), &context)
            .map_err(|e| Error::template("macros.html", &e))?;
        // Kept until the pages are written: no spare capacity.
        html.shrink_to_fit();
        Ok(cell.get_or_init(|| html))
    }

    /// Frees what was rendered, once every page is written.
    pub(super) fn clear(&mut self) {
        self.rendered = Vec::new();
    }
}

/// Replaces the stand-ins of every set in `data` with the markup, each
/// rendered from the item's data around it: one walk for all of them.
pub(super) fn resolve(sets: &[&Fragments], theme: &Theme, data: &mut Value) -> Result<()> {
    match data {
        Value::Array(items) => items.iter_mut().try_for_each(|v| resolve(sets, theme, v)),
        Value::Object(map) => {
            for set in sets.iter().filter(|set| !set.rendered.is_empty()) {
                set.replace_in(theme, map)?;
            }
            map.values_mut()
                .filter(|v| matches!(v, Value::Array(_) | Value::Object(_)))
                .try_for_each(|v| resolve(sets, theme, v))
        }
        _ => Ok(()),
    }
}
