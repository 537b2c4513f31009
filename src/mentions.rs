//! Mentions: one Aho-Corasick automaton over every known name and alias,
//! leftmost-longest, whole words only. A name claimed by two entities is
//! ambiguous and matches nobody.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use crate::model::EntityId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    One(EntityId),
    Ambiguous,
}

/// A whole-word occurrence of a known name in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub entity: EntityId,
}

/// Finds the names of one kind of entity (people, or detected topics).
pub struct Detector {
    automaton: Option<AhoCorasick>,
    targets: Vec<Target>,
}

impl Detector {
    /// `names` are (name or alias, entity) pairs; `ignore_case` matches ASCII
    /// letters in any case.
    pub fn new<'a>(
        names: impl IntoIterator<Item = (&'a str, EntityId)>,
        ignore_case: bool,
    ) -> Self {
        let mut by_pattern: HashMap<String, Target> = HashMap::new();
        for (name, entity) in names {
            let pattern = name.split_whitespace().collect::<Vec<_>>().join(" ");
            if pattern.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
                continue;
            }
            let key = if ignore_case {
                pattern.to_ascii_lowercase()
            } else {
                pattern
            };
            // Smart punctuation turns O'Rourke into O’Rourke in the text.
            let curly = key.contains('\'').then(|| key.replace('\'', "’"));
            for key in std::iter::once(key).chain(curly) {
                by_pattern
                    .entry(key)
                    .and_modify(|t| {
                        if *t != Target::One(entity) {
                            *t = Target::Ambiguous;
                        }
                    })
                    .or_insert(Target::One(entity));
            }
        }
        let mut patterns: Vec<(String, Target)> = by_pattern.into_iter().collect();
        patterns.sort_by(|a, b| a.0.cmp(&b.0));
        let automaton = (!patterns.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .start_kind(StartKind::Both)
                    .ascii_case_insensitive(ignore_case)
                    .build(patterns.iter().map(|(p, _)| p))
                    .ok()
            })
            .flatten();
        Detector {
            automaton,
            targets: patterns.into_iter().map(|(_, t)| t).collect(),
        }
    }

    /// Every unambiguous whole-word mention in `text`, in order.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut found = Vec::new();
        let mut position = 0;
        while position < text.len() {
            let Some(longest) = automaton.find(Input::new(text).range(position..)) else {
                break;
            };
            // The longest name here may be glued to a letter ("Border Patrolling")
            // while a shorter one starting at the same place is a whole word.
            let mut candidate = Some(longest);
            while let Some(m) = candidate {
                if is_whole_word(text, m.start(), m.end()) {
                    break;
                }
                let shorter = Input::new(text)
                    .range(m.start()..m.end() - 1)
                    .anchored(Anchored::Yes);
                candidate = automaton.find(shorter);
            }
            match candidate {
                Some(m) => {
                    if let Target::One(entity) = self.targets[m.pattern().as_usize()] {
                        found.push(Found {
                            start: m.start(),
                            end: m.end(),
                            entity,
                        });
                    }
                    position = m.end();
                }
                None => {
                    // Another name may still start inside this one.
                    let start = longest.start();
                    position = start + text[start..].chars().next().map_or(1, char::len_utf8);
                }
            }
        }
        found
    }
}

/// True when `text[start..end]` is not glued to a letter or digit on either side,
/// so "Nielsen" does not match inside "Nielsens" but does in "Nielsen's".
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people() -> Detector {
        Detector::new(
            [
                ("Jeff Sessions", 0),
                ("Sessions", 0),
                ("Kirstjen Nielsen", 1),
                ("Nielsen", 1),
                ("José Rodríguez", 2),
                ("George W. Bush", 3),
                ("President Bush", 3),
                ("President Bush", 4),
            ],
            false,
        )
    }

    fn names(text: &str) -> Vec<(&str, EntityId)> {
        people()
            .find(text)
            .iter()
            .map(|f| (&text[f.start..f.end], f.entity))
            .collect()
    }

    #[test]
    fn the_longest_name_wins() {
        assert_eq!(names("Jeff Sessions said."), [("Jeff Sessions", 0)]);
        assert_eq!(names("Then Sessions said."), [("Sessions", 0)]);
    }

    #[test]
    fn only_whole_words_match() {
        assert!(names("Sessionsville is a town.").is_empty());
        assert!(names("The Nielsens came.").is_empty());
        assert!(names("xNielsen").is_empty());
        assert!(names("Nielsen2").is_empty());
    }

    #[test]
    fn punctuation_and_possessives_are_boundaries() {
        assert_eq!(names("Sessions' policy"), [("Sessions", 0)]);
        assert_eq!(names("Nielsen's briefing"), [("Nielsen", 1)]);
        assert_eq!(names("Nielsen’s briefing"), [("Nielsen", 1)]);
        assert_eq!(names("“Sessions,” he said"), [("Sessions", 0)]);
        assert_eq!(names("(Nielsen)"), [("Nielsen", 1)]);
        assert_eq!(names("the Sessions-era memo"), [("Sessions", 0)]);
        assert_eq!(names("George W. Bush."), [("George W. Bush", 3)]);
    }

    #[test]
    fn unicode_names_match_whole() {
        assert_eq!(
            names("Lawyer José Rodríguez spoke."),
            [("José Rodríguez", 2)]
        );
        assert!(names("José Rodríguezé").is_empty());
        assert!(names("éJosé Rodríguez").is_empty());
    }

    #[test]
    fn an_ambiguous_name_matches_nobody() {
        assert!(names("President Bush spoke.").is_empty());
        assert_eq!(names("George W. Bush spoke."), [("George W. Bush", 3)]);
    }

    #[test]
    fn case_may_be_ignored_for_topics() {
        let topics = Detector::new([("Zero tolerance", 7)], true);
        assert_eq!(topics.find("the zero tolerance policy").len(), 1);
        assert!(
            people().find("jeff sessions").is_empty(),
            "people match as written"
        );
    }

    #[test]
    fn a_shorter_name_at_the_same_place_is_kept() {
        let topics = Detector::new([("Border", 1), ("Border Patrol", 2)], true);
        let found = topics.find("border patrolling");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].entity, 1);
    }

    #[test]
    fn straight_and_curly_apostrophes_are_the_same() {
        let people = Detector::new([("Beto O'Rourke", 9)], false);
        assert_eq!(people.find("Beto O’Rourke spoke").len(), 1);
        assert_eq!(people.find("Beto O'Rourke spoke").len(), 1);
    }

    #[test]
    fn a_rejected_match_does_not_hide_a_later_one() {
        assert_eq!(names("Sessionsville and Sessions"), [("Sessions", 0)]);
    }
}
