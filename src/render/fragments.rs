//! Pieces of pages that many pages show alike: an article's card in every
//! list, an article's or event's entry on every timeline that holds it. Each
//! is rendered once per build, by the theme's own macro (see
//! `theme::Fragment`), the first time a page that is rendered needs it.
//!
//! Until then a page's data holds a stand-in. When a page template reads
//! more of an item than its markup, the item is there whole, and a page's
//! key leaves the stand-in out: the markup follows from the item's data
//! beside it, and from the theme, which every key holds. Otherwise the
//! stand-in is all the page holds of the item, and names the item's data by
//! a hash, which the key holds. A page kept from the previous build renders
//! no fragment.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::{Map, Value};
use tera::Context;

use super::unchanged;
use crate::error::{Error, Result};
use crate::theme::{Fragment, Theme};
use crate::views::{ArticleCard, Item, Markup, TimelineEntry};

/// What every stand-in starts with: a NUL, then a number drawn when the
/// program starts, which content cannot know, so that no text from content
/// passes for a stand-in.
fn mark() -> &'static str {
    static MARK: OnceLock<String> = OnceLock::new();
    MARK.get_or_init(|| {
        let secret = RandomState::new().build_hasher().finish();
        format!("\u{0}{secret:016x} ")
    })
}

/// A stand-in beside the item's data, for item `n`.
pub(super) fn beside(n: usize) -> String {
    format!("{}fragment {n}", mark())
}

/// A stand-in that is all a page holds of item `n`, whose data hashes to
/// `hash`.
pub(super) fn alone(hash: u128, n: usize) -> String {
    format!("{}item {hash:032x} {n}", mark())
}

/// A stand-in, read back.
enum StandIn<'t> {
    Beside(usize),
    Alone { hash: &'t str, n: usize },
}

impl<'t> StandIn<'t> {
    fn parse(text: &'t str) -> Option<Self> {
        let rest = text.strip_prefix(mark())?;
        if let Some(n) = rest.strip_prefix("fragment ") {
            return n.parse().ok().map(StandIn::Beside);
        }
        let (hash, n) = rest.strip_prefix("item ")?.split_once(' ')?;
        let n = n.parse().ok()?;
        Some(StandIn::Alone { hash, n })
    }
}

/// How a page's key takes the `value` under `key` in a page's data.
pub(super) enum Keyed<'v> {
    /// As it is.
    Value,
    /// Left out: it stands for markup made from the data beside it.
    Skipped,
    /// By this text, the hash of the item's data it stands for; not by the
    /// item's number, which an article added before it changes.
    Text(&'v str),
}

pub(super) fn keyed<'v>(key: &str, value: &'v Value) -> Keyed<'v> {
    let Some(text) = value.as_str() else {
        return Keyed::Value;
    };
    if !Fragment::ALL.iter().any(|f| f.field() == key) {
        return Keyed::Value;
    }
    match StandIn::parse(text) {
        Some(StandIn::Beside(_)) => Keyed::Skipped,
        Some(StandIn::Alone { hash, .. }) => Keyed::Text(hash),
        None => Keyed::Value,
    }
}

/// What a list item (a card, an entry) puts its markup's stand-in in.
pub(super) trait Marked {
    fn set_markup(&mut self, stand_in: Option<String>);
}

impl Marked for ArticleCard<'_> {
    fn set_markup(&mut self, stand_in: Option<String>) {
        self.card_html = stand_in;
    }
}

impl Marked for TimelineEntry<'_> {
    fn set_markup(&mut self, stand_in: Option<String>) {
        self.entry_html = stand_in;
    }
}

pub(super) struct Fragments {
    fragment: Fragment,
    /// One per item; empty once every page is written.
    rendered: Vec<OnceLock<String>>,
    /// Whether pages hold only the stand-in of each item.
    alone: bool,
    /// The hash of each item's data, for stand-ins alone.
    hashes: Vec<OnceLock<u128>>,
}

impl Fragments {
    /// Room for `count` items; pages hold only their markup if `alone`.
    pub(super) fn new(fragment: Fragment, count: usize, alone: bool) -> Self {
        Fragments {
            fragment,
            rendered: cells(count),
            alone,
            hashes: cells(if alone { count } else { 0 }),
        }
    }

    /// Item `n` as a page's data holds it, made by `whole` (without its
    /// markup) if need be.
    pub(super) fn item<T: Serialize + Marked>(&self, n: usize, whole: impl Fn() -> T) -> Item<T> {
        if !self.alone {
            let mut item = whole();
            item.set_markup(self.stand_in(n));
            return Item::Whole(item);
        }
        let hash = self.hashes[n].get_or_init(|| {
            let data = serde_json::to_value(whole()).unwrap_or_default();
            unchanged::fingerprint(&data)
        });
        Item::Markup(Markup {
            field: self.fragment.field(),
            html: alone(*hash, n),
        })
    }

    /// What stands for item `n`'s markup in a page's data until the page is
    /// rendered; None once the set is cleared.
    fn stand_in(&self, n: usize) -> Option<String> {
        (n < self.rendered.len()).then(|| beside(n))
    }

    /// Puts the markup in the item `map`, if the item's field for this
    /// fragment holds a stand-in; `whole` makes item `n`'s data when the
    /// page holds only the stand-in.
    fn replace_in(
        &self,
        theme: &Theme,
        map: &mut Map<String, Value>,
        whole: &dyn Fn(usize) -> Value,
    ) -> Result<()> {
        let field = self.fragment.field();
        let Some(text) = map.get(field).and_then(Value::as_str) else {
            return Ok(());
        };
        let n = match StandIn::parse(text) {
            // Items are numbered by the renderer: never out of range while
            // pages render.
            Some(StandIn::Alone { n, .. }) if n < self.rendered.len() => {
                let html = self.get_with(theme, n, || whole(n))?.to_string();
                map.insert(field.to_string(), Value::String(html));
                return Ok(());
            }
            Some(StandIn::Beside(n)) if n < self.rendered.len() => n,
            _ => return Ok(()),
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
        self.hashes = Vec::new();
    }
}

fn cells<T>(count: usize) -> Vec<OnceLock<T>> {
    (0..count).map(|_| OnceLock::new()).collect()
}

/// A set of fragments, with what makes an item's data for a page that holds
/// only its stand-in.
pub(super) type Set<'s> = (&'s Fragments, &'s dyn Fn(usize) -> Value);

/// Replaces the stand-ins of every set in `data` with the markup, each
/// rendered from the item's data around it (or made for it): one walk for
/// all of them.
pub(super) fn resolve(sets: &[Set], theme: &Theme, data: &mut Value) -> Result<()> {
    match data {
        Value::Array(items) => items.iter_mut().try_for_each(|v| resolve(sets, theme, v)),
        Value::Object(map) => {
            for (set, whole) in sets.iter().filter(|(set, _)| !set.rendered.is_empty()) {
                set.replace_in(theme, map, *whole)?;
            }
            map.values_mut()
                .filter(|v| matches!(v, Value::Array(_) | Value::Object(_)))
                .try_for_each(|v| resolve(sets, theme, v))
        }
        _ => Ok(()),
    }
}
