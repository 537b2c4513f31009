//! Pieces of pages that many pages show alike: an article's card in every
//! list, an article's or event's entry on every timeline that holds it. Each
//! is rendered once per build, by the theme's own macro (see
//! `theme::Fragment`), the first time a page needs it.

use std::sync::OnceLock;

use serde::Serialize;
use tera::Context;

use crate::error::{Error, Result};
use crate::theme::{Fragment, Theme};

pub(super) struct Fragments {
    fragment: Fragment,
    /// One per item; empty when the theme does not write this fragment.
    rendered: Vec<OnceLock<String>>,
}

impl Fragments {
    /// Room for `count` items, if `theme` writes `fragment`.
    pub(super) fn new(theme: &Theme, fragment: Fragment, count: usize) -> Self {
        let count = if theme.has(fragment) { count } else { 0 };
        Fragments {
            fragment,
            rendered: (0..count).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Item `n`'s markup, rendered from `item` if no page asked for it yet;
    /// None when the theme does not write this fragment.
    pub(super) fn get(
        &self,
        theme: &Theme,
        n: usize,
        item: &impl Serialize,
    ) -> Result<Option<&str>> {
        let Some(cell) = self.rendered.get(n) else {
            return Ok(None);
        };
        if let Some(html) = cell.get() {
            return Ok(Some(html));
        }
        let mut context = Context::new();
        context.insert(self.fragment.argument(), item);
        let mut html = theme
            .templates
            .render(self.fragment.template(), &context)
            .map_err(|e| Error::template("macros.html", &e))?;
        // Kept until the pages are written: no spare capacity.
        html.shrink_to_fit();
        Ok(Some(cell.get_or_init(|| html)))
    }

    /// Frees what was rendered, once every page is written.
    pub(super) fn clear(&mut self) {
        self.rendered = Vec::new();
    }
}
