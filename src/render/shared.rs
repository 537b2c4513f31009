//! What every page's data holds alike: the site, and the sharing metadata of
//! the pages that set none of their own. It is made once per build; each
//! thread keeps a copy and lends it to every page it renders, instead of
//! making and dropping it again for each page.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use serde_json::{Map, Value};
use tera::Context;

/// Tells one build's shared data from another's in a process that builds
/// more than once (`serve`).
static BUILDS: AtomicU64 = AtomicU64::new(0);

#[derive(Default, Clone)]
pub(super) struct Shared {
    build: u64,
    site: Value,
    meta: Value,
}

thread_local! {
    /// This thread's copy of the shared data of the build it rendered last.
    static COPY: Cell<Option<Shared>> = const { Cell::new(None) };
}

impl Shared {
    pub(super) fn new(site: &impl Serialize, meta: &impl Serialize) -> Self {
        // Plain structs with string keys: serializing them cannot fail.
        Shared {
            build: BUILDS.fetch_add(1, Ordering::Relaxed) + 1,
            site: serde_json::to_value(site).unwrap_or_default(),
            meta: serde_json::to_value(meta).unwrap_or_default(),
        }
    }

    /// The data itself, for the keys of pages.
    pub(super) fn values(&self) -> [&Value; 2] {
        [&self.site, &self.meta]
    }

    /// Runs `render` with `context` and the shared data added to it: `site`,
    /// and `meta` unless the page has its own. The copy is out of its slot
    /// while it is lent: if rendering panics, the next page takes a fresh one.
    pub(super) fn lend<T>(
        &self,
        mut context: Context,
        own_meta: bool,
        render: impl FnOnce(&Context) -> T,
    ) -> T {
        let mut copy = match COPY.take() {
            Some(copy) if copy.build == self.build => copy,
            _ => self.clone(),
        };
        let mut lent = Map::new();
        lent.insert("site".to_string(), std::mem::take(&mut copy.site));
        if !own_meta {
            lent.insert("meta".to_string(), std::mem::take(&mut copy.meta));
        }
        // An object is always a context.
        if let Ok(lent) = Context::from_value(Value::Object(lent)) {
            context.extend(lent);
        }
        let result = render(&context);
        let site = context.remove("site");
        let meta = if own_meta {
            None
        } else {
            context.remove("meta")
        };
        // Given back whole, the copy serves the next page; otherwise the next
        // page takes a fresh one.
        if let (Some(site), true) = (site, own_meta || meta.is_some()) {
            copy.site = site;
            if let Some(meta) = meta {
                copy.meta = meta;
            }
            COPY.set(Some(copy));
        }
        result
    }
}
