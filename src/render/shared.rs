//! What every page's data holds alike: the site, and the sharing metadata of
//! the pages that set none of their own. It is made once per build; each
//! thread keeps a copy and lends it to every page it renders, instead of
//! making and dropping it again for each page.

use std::cell::RefCell;
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
    static COPY: RefCell<Option<Shared>> = const { RefCell::new(None) };
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
    /// and `meta` unless the page has its own.
    pub(super) fn lend<T>(
        &self,
        mut context: Context,
        own_meta: bool,
        render: impl FnOnce(&Context) -> T,
    ) -> T {
        COPY.with_borrow_mut(|slot| {
            let copy = match slot {
                Some(copy) if copy.build == self.build => copy,
                _ => slot.insert(self.clone()),
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
            match (site, meta) {
                (Some(site), meta) if own_meta || meta.is_some() => {
                    copy.site = site;
                    copy.meta = meta.unwrap_or(std::mem::take(&mut copy.meta));
                }
                // Not given back: the next page takes a fresh copy.
                _ => *slot = None,
            }
            result
        })
    }
}
