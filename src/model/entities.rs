//! People and topics: one registry per kind that resolves names, slugs and
//! aliases to the same entity and creates an entity the first time an article
//! names someone without a profile.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::frontmatter::LinkMatter;
use crate::slug::{name_key, slugify};

pub type EntityId = usize;

/// A person or a topic.
#[derive(Debug, Clone)]
pub struct Entity {
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    /// Resolved like an article's image.
    pub image: Option<super::Image>,
    pub links: Vec<LinkMatter>,
    /// People only.
    pub role: Option<String>,
    /// People only, as written.
    pub born: Option<String>,
    /// Topics only: the broader topic.
    pub parent: Option<EntityId>,
    /// The profile's Markdown (bio or introduction); empty without a profile.
    pub body: String,
    /// The profile file, if there is one.
    pub profile: Option<PathBuf>,
    /// Topics only: find the name and aliases in article text.
    pub detect: bool,
    /// Without a profile: the file and line that first named it.
    pub named_at: Option<(PathBuf, usize)>,
}

impl Entity {
    pub fn named(name: &str, slug: String) -> Self {
        Entity {
            slug,
            name: name.to_string(),
            aliases: Vec::new(),
            description: None,
            image: None,
            links: Vec::new(),
            role: None,
            born: None,
            parent: None,
            body: String::new(),
            profile: None,
            detect: false,
            named_at: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    One(EntityId),
    /// A name or alias claimed by two profiles: it resolves to nobody.
    Ambiguous(EntityId, EntityId),
}

/// Why a reference did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    Ambiguous { first: String, second: String },
    NoSlug,
}

/// Builds the entities of one kind. Used only while the index is built.
#[derive(Debug, Default)]
pub struct Registry {
    entities: Vec<Entity>,
    by_name: HashMap<String, Lookup>,
    by_slug: HashMap<String, EntityId>,
}

impl Registry {
    /// Adds a profile; returns the profile already holding the same slug, if any.
    pub fn add_profile(&mut self, entity: Entity) -> Result<EntityId, EntityId> {
        if let Some(&existing) = self.by_slug.get(&entity.slug) {
            return Err(existing);
        }
        let id = self.entities.len();
        self.by_slug.insert(entity.slug.clone(), id);
        for name in std::iter::once(&entity.name).chain(&entity.aliases) {
            self.claim_name(name, id);
        }
        self.entities.push(entity);
        Ok(id)
    }

    fn claim_name(&mut self, name: &str, id: EntityId) {
        let key = name_key(name);
        let lookup = match self.by_name.get(&key) {
            None => Lookup::One(id),
            Some(Lookup::One(other)) if *other == id => Lookup::One(id),
            Some(Lookup::One(other)) => Lookup::Ambiguous(*other, id),
            Some(ambiguous) => *ambiguous,
        };
        self.by_name.insert(key, lookup);
    }

    /// The entity a name, alias or slug refers to, creating it when unknown.
    pub fn resolve(&mut self, reference: &str) -> Result<EntityId, ResolveError> {
        let reference = reference.trim();
        match self.by_name.get(&name_key(reference)) {
            Some(Lookup::One(id)) => return Ok(*id),
            Some(Lookup::Ambiguous(a, b)) => {
                return Err(ResolveError::Ambiguous {
                    first: self.entities[*a].name.clone(),
                    second: self.entities[*b].name.clone(),
                })
            }
            None => {}
        }
        let slug = slugify(reference);
        if slug.is_empty() {
            return Err(ResolveError::NoSlug);
        }
        if let Some(&id) = self.by_slug.get(&slug) {
            return Ok(id);
        }
        let id = self.entities.len();
        self.entities.push(Entity::named(reference, slug.clone()));
        self.by_slug.insert(slug, id);
        self.claim_name(reference, id);
        Ok(id)
    }

    pub fn get(&self, id: EntityId) -> &Entity {
        &self.entities[id]
    }

    /// Names or aliases claimed by more than one profile, with their claimants.
    pub fn ambiguous_names(&self) -> Vec<(String, EntityId, EntityId)> {
        let mut names: Vec<(String, EntityId, EntityId)> = self
            .by_name
            .iter()
            .filter_map(|(key, lookup)| match lookup {
                Lookup::Ambiguous(a, b) => Some((key.clone(), *a, *b)),
                Lookup::One(_) => None,
            })
            .collect();
        names.sort();
        names
    }

    pub fn get_mut(&mut self, id: EntityId) -> &mut Entity {
        &mut self.entities[id]
    }

    /// The entities sorted by slug, and for each old id its new one.
    pub fn finish(self) -> (Vec<Entity>, Vec<EntityId>) {
        let mut order: Vec<EntityId> = (0..self.entities.len()).collect();
        order.sort_by(|a, b| self.entities[*a].slug.cmp(&self.entities[*b].slug));
        let mut new_id = vec![0; order.len()];
        for (new, old) in order.iter().enumerate() {
            new_id[*old] = new;
        }
        let mut slots: Vec<Option<Entity>> = self.entities.into_iter().map(Some).collect();
        let mut entities: Vec<Entity> = order.iter().filter_map(|old| slots[*old].take()).collect();
        for entity in &mut entities {
            entity.parent = entity.parent.map(|p| new_id[p]);
        }
        (entities, new_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str, aliases: &[&str]) -> Entity {
        let mut entity = Entity::named(name, slugify(name));
        entity.aliases = aliases.iter().map(|a| a.to_string()).collect();
        entity
    }

    #[test]
    fn names_slugs_and_aliases_resolve_to_one_entity() {
        let mut people = Registry::default();
        let id = people
            .add_profile(profile(
                "Jeff Sessions",
                &["Jefferson Beauregard Sessions III"],
            ))
            .unwrap();
        assert_eq!(people.resolve("Jeff Sessions"), Ok(id));
        assert_eq!(people.resolve("  jeff   sessions "), Ok(id));
        assert_eq!(people.resolve("jeff-sessions"), Ok(id));
        assert_eq!(people.resolve("Jefferson Beauregard Sessions III"), Ok(id));
    }

    #[test]
    fn unknown_names_become_entities_once() {
        let mut people = Registry::default();
        let first = people.resolve("Lee Gelernt").unwrap();
        assert_eq!(people.resolve("lee gelernt"), Ok(first));
        assert_eq!(people.resolve("Lee-Gelernt"), Ok(first));
        assert_ne!(people.resolve("Dana Sabraw").unwrap(), first);
        assert_eq!(people.resolve("?!"), Err(ResolveError::NoSlug));
    }

    #[test]
    fn a_shared_alias_resolves_to_nobody() {
        let mut people = Registry::default();
        people
            .add_profile(profile("George W. Bush", &["President Bush"]))
            .unwrap();
        people
            .add_profile(profile("George H. W. Bush", &["President Bush"]))
            .unwrap();
        assert!(matches!(
            people.resolve("President Bush"),
            Err(ResolveError::Ambiguous { .. })
        ));
    }

    #[test]
    fn finish_sorts_by_slug_and_remaps_parents() {
        let mut topics = Registry::default();
        let child = topics.add_profile(profile("Zero tolerance", &[])).unwrap();
        let parent = topics.add_profile(profile("Immigration", &[])).unwrap();
        topics.get_mut(child).parent = Some(parent);
        let (entities, new_id) = topics.finish();
        assert_eq!(entities[0].slug, "immigration");
        assert_eq!(entities[1].parent, Some(0));
        assert_eq!(new_id[child], 1);
    }
}
