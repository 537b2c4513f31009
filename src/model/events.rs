//! Events reported by several articles are one event: same date (to the day)
//! and same title after normalising case, spacing, quotes and end punctuation.

use std::collections::HashMap;

use super::{ArticleId, Event};
use crate::dates::PartialDate;

/// Collects events article by article, merging repeats: the first report
/// added gives the title and text, later ones add their article.
#[derive(Default)]
pub struct EventSet {
    events: Vec<Event>,
    by_key: HashMap<(PartialDate, String), usize>,
}

impl EventSet {
    /// Adds an event reported by `article`.
    pub fn add(&mut self, mut event: Event, article: ArticleId) {
        let key = (
            PartialDate {
                time: None,
                ..event.date
            },
            normalize_title(&event.title),
        );
        match self.by_key.get(&key) {
            Some(&existing) => {
                let merged = &mut self.events[existing];
                if !merged.articles.contains(&article) {
                    merged.articles.push(article);
                }
                for person in event.people {
                    if !merged.people.contains(&person) {
                        merged.people.push(person);
                    }
                }
                for topic in event.topics {
                    if !merged.topics.contains(&topic) {
                        merged.topics.push(topic);
                    }
                }
                merged.end = merged.end.or(event.end);
                merged.text = merged.text.take().or(event.text);
            }
            None => {
                event.articles = vec![article];
                self.by_key.insert(key, self.events.len());
                self.events.push(event);
            }
        }
    }

    /// The events, newest first; same-date events by time, then title.
    pub fn finish(self) -> Vec<Event> {
        let mut events = self.events;
        for event in &mut events {
            event.articles.sort_unstable();
        }
        events.sort_by(|a, b| {
            b.date
                .cmp(&a.date)
                .then_with(|| a.title.cmp(&b.title))
                .then_with(|| a.articles.cmp(&b.articles))
        });
        events
    }
}

fn normalize_title(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace(['‘', '’'], "'")
        .replace(['“', '”'], "\"")
        .trim_end_matches(['.', '!', ';'])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(date: &str, title: &str) -> Event {
        Event {
            date: PartialDate::parse(date).unwrap(),
            end: None,
            title: title.to_string(),
            text: None,
            people: Vec::new(),
            topics: Vec::new(),
            articles: Vec::new(),
        }
    }

    #[test]
    fn the_same_event_from_several_articles_is_one() {
        let mut set = EventSet::default();
        set.add(event("2018-04-06", "Sessions announces zero tolerance"), 3);
        set.add(
            event("2018-04-06", "  sessions announces Zero Tolerance. "),
            1,
        );
        set.add(
            event("2018-04-06 09:00", "Sessions announces zero tolerance"),
            2,
        );
        set.add(event("2018-04", "Sessions announces zero tolerance"), 2);
        let events = set.finish();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].articles, [1, 2, 3]);
        assert_eq!(events[1].date.iso(), "2018-04");
    }
}
