//! What of a page's data the theme's page templates read, found by walking
//! their syntax trees. Pages leave out costly data that no template reads:
//! a timeline's `jump` list, and every field of a list's article cards and
//! timeline entries but the markup (`card_html`, `entry_html`) rendered from
//! them once per build.
//!
//! The walk follows what a name holds: a loop variable over a list of cards
//! is a card, and so is a macro argument given one. Whatever it cannot follow
//! (a card printed whole, passed to a filter or a function, kept with `set`,
//! indexed by a variable) counts as read, so a theme that reads more than
//! the markup gets every field, as before.

use std::collections::{HashMap, HashSet};

use tera::ast::{Expr, ExprVal, FunctionCall, LogicOperator, MacroDefinition, Node};
use tera::Tera;

use crate::theme::Fragment;

/// A part of pages' data that pages may leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// A timeline's `jump` list.
    Jump,
    /// The article cards of lists.
    Card,
    /// The entries of timelines.
    Entry,
}

impl Part {
    pub const ALL: [Part; 3] = [Part::Jump, Part::Card, Part::Entry];

    fn bit(self) -> u8 {
        1 << self as u8
    }

    /// The field a template may read without reading the rest; None when
    /// pages leave the part out whole, so that naming it at all reads it.
    fn markup(self) -> Option<&'static str> {
        match self {
            Part::Jump => None,
            Part::Card => Some(Fragment::Card.field()),
            Part::Entry => Some(Fragment::Entry.field()),
        }
    }
}

/// A set of parts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Parts(u8);

impl Parts {
    pub fn contains(self, part: Part) -> bool {
        self.0 & part.bit() != 0
    }

    pub fn all() -> Parts {
        Parts(Part::ALL.iter().fold(0, |bits, part| bits | part.bit()))
    }
}

/// What a name or path holds, as far as the parts go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Shape {
    /// Nothing a page leaves out.
    Plain,
    Part(Part),
    List(&'static Shape),
    Object(&'static [(&'static str, Shape)]),
}

impl Shape {
    fn parts(self) -> Parts {
        match self {
            Shape::Plain => Parts(0),
            Shape::Part(part) => Parts(part.bit()),
            Shape::List(item) => item.parts(),
            Shape::Object(fields) => Parts(fields.iter().fold(0, |bits, f| bits | f.1.parts().0)),
        }
    }
}

const CARDS: Shape = Shape::List(&Shape::Part(Part::Card));

/// Where pages' data holds the parts, for every kind of page at once (see
/// `render`: `cards`, `timeline_page`). A name that holds something else on
/// some page only makes the walk count more as read.
const ROOTS: &[(&str, Shape)] = &[
    ("jump", Shape::Part(Part::Jump)),
    ("latest", CARDS),
    ("articles", CARDS),
    ("mentions", CARDS),
    ("article", Shape::Object(&[("related", CARDS)])),
    ("days", Shape::List(&Shape::Object(&[("articles", CARDS)]))),
    (
        "groups",
        Shape::List(&Shape::Object(&[(
            "entries",
            Shape::List(&Shape::Part(Part::Entry)),
        )])),
    ),
];

/// How many includes and blocks deep the walk follows before it counts every
/// part as read (templates may include each other).
const MAX_DEPTH: usize = 16;

/// The parts that some page template of `tera` reads. The templates named
/// in `skip` render fragments from an item, not pages.
pub fn page_reads(tera: &Tera, skip: &[&str]) -> Parts {
    let mut walk = Walk {
        tera,
        read: Parts(0),
        depth: 0,
        called: HashSet::new(),
    };
    for (name, template) in &tera.templates {
        if !skip.contains(&name.as_str()) {
            walk.nodes(&template.ast, &mut Vec::new());
        }
    }
    walk.read
}

/// Names bound by loops, macro arguments and the like, innermost last; a
/// name not bound here is the page's.
type Env<'t> = Vec<(&'t str, Shape)>;

struct Walk<'t> {
    tera: &'t Tera,
    read: Parts,
    depth: usize,
    /// Each macro (by address) with the shapes of its arguments, walked
    /// once: what a walk reads only adds up, and a macro may call itself.
    called: HashSet<(usize, Vec<(&'t str, Shape)>)>,
}

impl<'t> Walk<'t> {
    /// Counts every part `shape` holds as read: its value is used whole.
    fn use_whole(&mut self, shape: Shape) {
        self.read.0 |= shape.parts().0;
    }

    fn nodes(&mut self, nodes: &'t [Node], env: &mut Env<'t>) {
        for node in nodes {
            self.node(node, env);
        }
    }

    fn node(&mut self, node: &'t Node, env: &mut Env<'t>) {
        match node {
            Node::VariableBlock(_, expr) | Node::Set(_, tera::ast::Set { value: expr, .. }) => {
                let shape = self.expr(expr, env);
                self.use_whole(shape);
            }
            Node::FilterSection(_, section, _) => {
                self.call_args(&section.filter, env);
                self.nodes(&section.body, env);
            }
            // This template's block, or that of a template extending it,
            // which goes here, where this one's loop variables and macro
            // arguments hold. (Each template keeps a copy of its blocks.)
            Node::Block(_, block, _) => {
                let tera = self.tera;
                for template in tera.templates.values() {
                    if let Some(block) = template.blocks.get(&block.name) {
                        self.deeper(|walk| walk.nodes(&block.body, env));
                    }
                }
            }
            Node::Forloop(_, forloop, _) => {
                let item = match self.expr(&forloop.container, env) {
                    Shape::List(item) => *item,
                    other => {
                        self.use_whole(other);
                        Shape::Plain
                    }
                };
                let bound = env.len();
                if let Some(key) = &forloop.key {
                    env.push((key, Shape::Plain));
                }
                env.push((&forloop.value, item));
                self.nodes(&forloop.body, env);
                env.truncate(bound);
                if let Some(body) = &forloop.empty_body {
                    self.nodes(body, env);
                }
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    // Whether a list is empty is not a read of its items.
                    self.expr(condition, env);
                    self.nodes(body, env);
                }
                if let Some((_, body)) = &branches.otherwise {
                    self.nodes(body, env);
                }
            }
            // Walked as if no caller gave it anything, for a macro that
            // reads the page's data; each call walks it again with what
            // the call gives.
            Node::MacroDefinition(_, definition, _) => {
                let mut own = definition
                    .args
                    .keys()
                    .map(|name| (name.as_str(), Shape::Plain))
                    .collect();
                self.nodes(&definition.body, &mut own);
            }
            Node::Include(_, names, _) => {
                for name in names {
                    if name.starts_with(crate::theme::INTERNAL) {
                        // A fragment's template reads its item whole.
                        self.read = Parts::all();
                    } else if let Some(template) = self.tera.templates.get(name) {
                        self.deeper(|walk| walk.nodes(&template.ast, env));
                    }
                }
            }
            Node::Super
            | Node::Text(_)
            | Node::Extends(..)
            | Node::ImportMacro(..)
            | Node::Raw(..)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Comment(..) => {}
        }
    }

    /// Follows `walk` one call deeper, unless the walk is too deep already.
    fn deeper(&mut self, walk: impl FnOnce(&mut Self)) {
        if self.depth >= MAX_DEPTH {
            self.read = Parts::all();
            return;
        }
        self.depth += 1;
        walk(self);
        self.depth -= 1;
    }

    /// What `expr` holds; parts it reads on the way are counted.
    fn expr(&mut self, expr: &'t Expr, env: &mut Env<'t>) -> Shape {
        let mut shape = self.value(&expr.val, env);
        for filter in &expr.filters {
            self.call_args(filter, env);
            // How many items a list has is not a read of them; how many
            // fields an item has is.
            if filter.name != "length" || matches!(shape, Shape::Part(_)) {
                self.use_whole(shape);
            }
            shape = Shape::Plain;
        }
        shape
    }

    /// `expr`, used whole.
    fn used(&mut self, expr: &'t Expr, env: &mut Env<'t>) {
        let shape = self.expr(expr, env);
        self.use_whole(shape);
    }

    fn call_args(&mut self, call: &'t FunctionCall, env: &mut Env<'t>) {
        for arg in call.args.values() {
            self.used(arg, env);
        }
    }

    fn value(&mut self, value: &'t ExprVal, env: &mut Env<'t>) -> Shape {
        match value {
            ExprVal::Ident(path) => return self.path(path, env),
            ExprVal::Test(test) => {
                let shape = self.path(&test.ident, env);
                if !matches!(test.name.as_str(), "defined" | "undefined") {
                    self.use_whole(shape);
                }
                for arg in &test.args {
                    self.used(arg, env);
                }
            }
            ExprVal::Logic(logic) => {
                // `and`, `or`: whether each side is empty; comparisons read
                // both sides.
                let truth = matches!(logic.operator, LogicOperator::And | LogicOperator::Or);
                for side in [&logic.lhs, &logic.rhs] {
                    let shape = self.expr(side, env);
                    if !truth {
                        self.use_whole(shape);
                    }
                }
            }
            ExprVal::Math(math) => {
                self.used(&math.lhs, env);
                self.used(&math.rhs, env);
            }
            ExprVal::In(within) => {
                self.used(&within.lhs, env);
                self.used(&within.rhs, env);
            }
            ExprVal::MacroCall(call) => {
                let given: HashMap<&str, Shape> = call
                    .args
                    .iter()
                    .map(|(name, arg)| (name.as_str(), self.expr(arg, env)))
                    .collect();
                self.macro_call(&call.name, &given);
            }
            ExprVal::FunctionCall(call) => self.call_args(call, env),
            ExprVal::Array(items) => {
                for item in items {
                    self.used(item, env);
                }
            }
            ExprVal::StringConcat(concat) => {
                for value in &concat.values {
                    let shape = self.value(value, env);
                    self.use_whole(shape);
                }
            }
            ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
        }
        Shape::Plain
    }

    /// Walks every macro of that name (whatever namespace the call names)
    /// with the arguments the call gives; a macro sees those and the page's
    /// data, not its caller's loop variables.
    fn macro_call(&mut self, name: &str, given: &HashMap<&str, Shape>) {
        let tera = self.tera;
        for template in tera.templates.values() {
            let Some(definition) = template.macros.get(name) else {
                continue;
            };
            let mut own = Vec::new();
            for (arg, default) in &definition.args {
                let shape = match (given.get(arg.as_str()), default) {
                    (Some(shape), _) => *shape,
                    (None, Some(default)) => self.expr(default, &mut Vec::new()),
                    (None, None) => Shape::Plain,
                };
                own.push((arg.as_str(), shape));
            }
            own.sort_unstable_by_key(|(name, _)| *name);
            let address = definition as *const MacroDefinition as usize;
            if self.called.insert((address, own.clone())) {
                self.nodes(&definition.body, &mut own);
            }
        }
    }

    /// What the variable path (`a`, `a.b`, `a[0].b`, `a["b"]`, `a[i]`)
    /// holds.
    fn path(&mut self, path: &'t str, env: &mut Env<'t>) -> Shape {
        if path.starts_with("__tera_context") {
            self.read = Parts::all();
            return Shape::Plain;
        }
        let root_end = path.find(['.', '[']).unwrap_or(path.len());
        let root = &path[..root_end];
        let mut shape = env
            .iter()
            .rev()
            .chain(ROOTS)
            .find(|(name, _)| *name == root)
            .map_or(Shape::Plain, |(_, shape)| *shape);
        self.mentioned(shape);
        let mut rest = &path[root_end..];
        while !rest.is_empty() {
            let field = if let Some(after) = rest.strip_prefix('.') {
                let end = after.find(['.', '[']).unwrap_or(after.len());
                rest = &after[end..];
                Some(&after[..end])
            } else {
                let Some(end) = closing_bracket(rest) else {
                    // Not a path Tera parses: count the rest as read.
                    self.use_whole(shape);
                    return Shape::Plain;
                };
                let inner = &rest[1..end];
                rest = &rest[end + 1..];
                match inner.strip_prefix(['"', '\'']) {
                    Some(quoted) => Some(&quoted[..quoted.len().saturating_sub(1)]),
                    None if inner.bytes().all(|b| b.is_ascii_digit()) => Some(inner),
                    None => {
                        // An index from a variable: any field of an object.
                        let index = self.path(inner, env);
                        self.use_whole(index);
                        None
                    }
                }
            };
            shape = match (shape, field) {
                (Shape::Plain, _) => Shape::Plain,
                (Shape::List(item), _) => *item,
                (Shape::Object(fields), Some(field)) => fields
                    .iter()
                    .find(|(name, _)| *name == field)
                    .map_or(Shape::Plain, |(_, shape)| *shape),
                (Shape::Part(part), Some(field)) if part.markup() == Some(field) => Shape::Plain,
                (whole, _) => {
                    self.use_whole(whole);
                    Shape::Plain
                }
            };
            self.mentioned(shape);
        }
        shape
    }

    /// A part that pages leave out whole is read by naming it at all.
    fn mentioned(&mut self, shape: Shape) {
        if let Shape::Part(part) = shape {
            if part.markup().is_none() {
                self.read.0 |= part.bit();
            }
        }
    }
}

/// Where the bracket that `text` starts with closes, past any quoted key.
fn closing_bracket(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    for (at, byte) in text.bytes().enumerate() {
        match (quote, byte) {
            (Some(q), _) if byte == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'' | b'`') => quote = Some(byte),
            (None, b'[') => depth += 1,
            (None, b']') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}
