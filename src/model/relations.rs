//! Connections between articles, people and topics: who is mentioned where, who
//! appears with whom, which topics go together, related articles, and who is in
//! the news lately. Everything is computed once, from the resolved articles and
//! the mentions found in their text.

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use super::{Article, ArticleId, EntityId};
use crate::markdown::Rendered;

/// Co-occurring entities need at least this many shared articles to be ranked.
pub const MIN_SHARED_ARTICLES: usize = 2;
/// How many related articles an article page lists.
pub const RELATED_ARTICLES: usize = 5;
/// How many neighbours in time, on each side, each shared entity contributes as
/// candidates for related articles: keeps the work linear in the archive size.
const RELATED_WINDOW: usize = 40;
/// "In the news" looks this many days back from the newest article.
pub const IN_THE_NEWS_DAYS: i32 = 30;

/// An entity with a count (of articles, or of shared articles).
pub type Counted = (EntityId, usize);

#[derive(Debug, Default, Clone)]
pub struct Relations {
    /// For each person, the articles that mention them without being about them.
    pub person_mentions: Vec<Vec<ArticleId>>,
    /// For each topic (with `detect: true`), the articles that mention it without being filed under it.
    pub topic_mentions: Vec<Vec<ArticleId>>,
    /// For each article, the people it mentions but is not about.
    pub article_mentions: Vec<Vec<EntityId>>,
    /// For each person, the people most often in the same articles, best first.
    pub people_with: Vec<Vec<Counted>>,
    /// For each topic, the topics most often on the same articles, best first.
    pub related_topics: Vec<Vec<Counted>>,
    /// For each person, the topics of the articles they appear in, by count.
    pub person_topics: Vec<Vec<Counted>>,
    /// For each topic, the people who appear most in its articles, by count.
    pub topic_people: Vec<Vec<Counted>>,
    /// For each article, up to five related articles, best first.
    pub related_articles: Vec<Vec<ArticleId>>,
    /// People and topics with the most articles in the latest 30 days.
    pub people_in_the_news: Vec<Counted>,
    pub topics_in_the_news: Vec<Counted>,
}

/// Computes every relation. `articles` are newest first, as in the index.
/// Everything the relations depend on: each article's date, people, topics
/// and the people and topics its text mentions, in order. Equal inputs give
/// equal relations, so a rebuild can keep the previous ones.
pub fn inputs_fingerprint(
    articles: &[Article],
    bodies: &[Rendered],
    people: usize,
    topics: usize,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (people, topics, articles.len()).hash(&mut hasher);
    for (article, body) in articles.iter().zip(bodies) {
        (
            article.date.timestamp(),
            &article.people,
            &article.topics,
            &body.people,
            &body.topics,
        )
            .hash(&mut hasher);
    }
    hasher.finish()
}

pub fn compute(
    articles: &[Article],
    bodies: &[Rendered],
    people: usize,
    topics: usize,
) -> Relations {
    // Related articles need only the articles' own people and topics: they
    // are ranked while the rest is counted.
    let (related_articles, relations) = rayon::join(
        || related_articles(articles),
        || counted(articles, bodies, people, topics),
    );
    Relations {
        related_articles,
        ..relations
    }
}

/// Every relation but `related_articles` (left empty).
fn counted(articles: &[Article], bodies: &[Rendered], people: usize, topics: usize) -> Relations {
    // Who appears in each article: about or mentioned.
    let mentions = |about: fn(&Article) -> &[EntityId], found: fn(&Rendered) -> &[EntityId]| {
        articles
            .par_iter()
            .zip(bodies)
            .map(|(a, b)| {
                found(b)
                    .iter()
                    .copied()
                    .filter(|e| !about(a).contains(e))
                    .collect::<Vec<EntityId>>()
            })
            .collect::<Vec<_>>()
    };
    let article_mentions = mentions(|a| &a.people, |b| &b.people);
    let topic_only_mentions = mentions(|a| &a.topics, |b| &b.topics);
    let sets = |about: fn(&Article) -> &[EntityId], mentioned: &[Vec<EntityId>]| {
        articles
            .par_iter()
            .zip(mentioned)
            .map(|(a, m)| union(about(a), m))
            .collect::<Vec<_>>()
    };
    let people_sets = sets(|a| &a.people, &article_mentions);
    let topic_sets = sets(|a| &a.topics, &topic_only_mentions);

    let people_articles = invert(&people_sets, people);
    let topic_articles = invert(&topic_sets, topics);
    let in_the_news_end = latest_window(articles);
    Relations {
        person_mentions: invert(&article_mentions, people),
        topic_mentions: invert(&topic_only_mentions, topics),
        people_with: cooccurring(&people_sets, &people_articles, 8),
        related_topics: cooccurring(&topic_sets, &topic_articles, 8),
        person_topics: counts_over(&people_articles, &topic_sets, topics, 10),
        topic_people: counts_over(&topic_articles, &people_sets, people, 10),
        related_articles: Vec::new(),
        people_in_the_news: top_counts(&people_sets[..in_the_news_end], people, 10),
        topics_in_the_news: top_counts(&topic_sets[..in_the_news_end], topics, 10),
        article_mentions,
    }
}

fn union(a: &[EntityId], b: &[EntityId]) -> Vec<EntityId> {
    let mut all: Vec<EntityId> = a.iter().chain(b).copied().collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// For each entity, the articles (ascending ids: newest first) whose set holds it.
fn invert(sets: &[Vec<EntityId>], entities: usize) -> Vec<Vec<ArticleId>> {
    let mut lists = vec![Vec::new(); entities];
    for (article, set) in sets.iter().enumerate() {
        for entity in set {
            lists[*entity].push(article);
        }
    }
    lists
}

/// Ranks, for each entity, the others that share its articles by normalised
/// pointwise mutual information: how much more often they appear together than
/// chance would have it, on a -1..1 scale that does not favour the most
/// frequent names. Pairs need `MIN_SHARED_ARTICLES` shared articles.
pub fn cooccurring(
    sets: &[Vec<EntityId>],
    lists: &[Vec<ArticleId>],
    limit: usize,
) -> Vec<Vec<Counted>> {
    let total = sets.len() as f64;
    lists
        .par_iter()
        .enumerate()
        .map(|(entity, articles)| {
            // Everyone in this entity's articles, counted by sorting (faster
            // than a hash map at this size).
            let mut others: Vec<EntityId> = articles
                .iter()
                .flat_map(|a| sets[*a].iter().copied())
                .filter(|other| *other != entity)
                .collect();
            others.sort_unstable();
            let mut ranked: Vec<(f64, EntityId, usize)> = others
                .chunk_by(|a, b| a == b)
                .map(|run| (run[0], run.len()))
                .filter(|(_, count)| *count >= MIN_SHARED_ARTICLES)
                .map(|(other, count)| {
                    let p_both = count as f64 / total;
                    let p_one = articles.len() as f64 / total;
                    let p_other = lists[other].len() as f64 / total;
                    let npmi = if p_both >= 1.0 {
                        1.0
                    } else {
                        (p_both / (p_one * p_other)).ln() / -p_both.ln()
                    };
                    (npmi, other, count)
                })
                .filter(|(npmi, _, _)| *npmi > 0.0)
                .collect();
            ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.2.cmp(&a.2)).then(a.1.cmp(&b.1)));
            ranked
                .into_iter()
                .take(limit)
                .map(|(_, other, count)| (other, count))
                .collect()
        })
        .collect()
}

/// For each entity, what the sets of its articles hold, most frequent first.
fn counts_over(
    lists: &[Vec<ArticleId>],
    sets: &[Vec<EntityId>],
    kinds: usize,
    limit: usize,
) -> Vec<Vec<Counted>> {
    lists
        .par_iter()
        .map(|articles| top_counts_of(articles.iter().map(|a| &sets[*a]), kinds, limit))
        .collect()
}

fn top_counts(sets: &[Vec<EntityId>], kinds: usize, limit: usize) -> Vec<Counted> {
    top_counts_of(sets.iter(), kinds, limit)
}

fn top_counts_of<'a>(
    sets: impl Iterator<Item = &'a Vec<EntityId>>,
    kinds: usize,
    limit: usize,
) -> Vec<Counted> {
    let mut counts: FxHashMap<EntityId, usize> = FxHashMap::default();
    for set in sets {
        for entity in set {
            if *entity < kinds {
                *counts.entry(*entity).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<Counted> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(limit);
    ranked
}

/// How many of the newest articles fall in the latest `IN_THE_NEWS_DAYS`.
fn latest_window(articles: &[Article]) -> usize {
    let Some(newest) = articles.first() else {
        return 0;
    };
    let newest = newest.day();
    articles
        .iter()
        .take_while(|a| (newest - a.day()).get_days() < IN_THE_NEWS_DAYS)
        .count()
}

/// Articles sharing people and topics with each article, weighted by how rare
/// each shared one is (inverse document frequency) and by closeness in time.
fn related_articles(articles: &[Article]) -> Vec<Vec<ArticleId>> {
    // Whole days since the epoch, for distances in time.
    let day_numbers: Vec<i64> = articles
        .iter()
        .map(|a| a.date.timestamp().as_second().div_euclid(86_400))
        .collect();
    let people: Vec<Vec<EntityId>> = articles.iter().map(|a| a.people.clone()).collect();
    let topics: Vec<Vec<EntityId>> = articles.iter().map(|a| a.topics.clone()).collect();
    related(&people, &topics, &day_numbers)
}

/// `related_articles`, from each article's people, topics and day number.
fn related(
    people: &[Vec<EntityId>],
    topics: &[Vec<EntityId>],
    days: &[i64],
) -> Vec<Vec<ArticleId>> {
    let count = days.len();
    let lists = |sets: &[Vec<EntityId>]| {
        let kinds = sets.iter().flatten().max().map_or(0, |m| m + 1);
        invert(sets, kinds)
    };
    let (person_lists, topic_lists) = (lists(people), lists(topics));
    let total = count as f64;
    // Each thread sums candidates' weights in a score per article, zero
    // for those not yet met (every weight is above zero), and notes which
    // it met.
    let scratch = || (vec![0.0f64; count], Vec::new());
    (0..count)
        .into_par_iter()
        .map_init(
            scratch,
            |(scores, met): &mut (Vec<f64>, Vec<ArticleId>), id| {
                let shared = people[id]
                    .iter()
                    .map(|p| &person_lists[*p])
                    .chain(topics[id].iter().map(|t| &topic_lists[*t]));
                // Weights add up in the order of the article's people, then its
                // topics.
                for list in shared {
                    let weight = (1.0 + total / list.len() as f64).ln();
                    let at = list.partition_point(|other| *other < id);
                    let from = at.saturating_sub(RELATED_WINDOW);
                    let to = (at + RELATED_WINDOW + 1).min(list.len());
                    for &other in &list[from..to] {
                        if other == id {
                            continue;
                        }
                        if scores[other] == 0.0 {
                            met.push(other);
                        }
                        scores[other] += weight;
                    }
                }
                let mut ranked: Vec<(f64, ArticleId)> = met
                    .drain(..)
                    .map(|other| {
                        let score = std::mem::take(&mut scores[other]);
                        let apart = (days[id] - days[other]).unsigned_abs() as f64;
                        (score / (1.0 + apart / 90.0), other)
                    })
                    .collect();
                // Scores, then numbers, order candidates wholly: the best few are
                // the same whatever order they were met in.
                let best_first = |a: &(f64, ArticleId), b: &(f64, ArticleId)| {
                    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
                };
                // Only the best few are kept: no need to sort the rest.
                if ranked.len() > RELATED_ARTICLES {
                    ranked.select_nth_unstable_by(RELATED_ARTICLES, best_first);
                    ranked.truncate(RELATED_ARTICLES);
                }
                ranked.sort_by(best_first);
                ranked.iter().map(|(_, other)| *other).collect()
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_company_beats_a_name_that_is_everywhere() {
        // Person 0 is in every article; person 1 shares 4 of them with 0 and 3
        // with person 2, who appears in only those 3.
        let mut sets: Vec<Vec<EntityId>> = vec![vec![0]; 100];
        for set in sets.iter_mut().take(4) {
            set.push(1);
        }
        for set in sets.iter_mut().skip(10).take(3) {
            set.extend([1, 2]);
        }
        let lists = invert(&sets, 3);
        let ranked = cooccurring(&sets, &lists, 8);
        assert_eq!(
            ranked[1],
            [(2, 3)],
            "the ubiquitous person 0 is not company"
        );
        assert_eq!(ranked[2], [(1, 3)]);
    }

    #[test]
    fn a_single_shared_article_is_not_enough() {
        let sets = vec![vec![0, 1], vec![2], vec![3]];
        let lists = invert(&sets, 4);
        assert!(cooccurring(&sets, &lists, 8)[0].is_empty());
    }

    #[test]
    fn related_articles_share_rare_names_and_are_close_in_time() {
        // Article 0 shares person 1 (in three articles) with 1 and 2, and
        // topic 0 (in every article) with all; 2 also shares person 2.
        let people = vec![vec![1, 2], vec![1], vec![1, 2], vec![3], vec![]];
        let topics = vec![vec![0]; 5];
        let days = [100, 99, 40, 100, 100];
        let related = related(&people, &topics, &days);
        // Two shared names outweigh one, even two months apart; then the
        // nearest in time, then the lower number.
        assert_eq!(related[0], [2, 1, 3, 4]);
        // Article 3 shares only topic 0, and nothing of what the articles
        // before it scored.
        assert_eq!(related[3], [0, 4, 1, 2]);
        assert!(related
            .iter()
            .enumerate()
            .all(|(id, list)| !list.contains(&id)));
    }

    #[test]
    fn related_articles_are_those_a_plain_count_finds() {
        // Few enough articles that every one sharing a name is a candidate:
        // each is scored by its shared names, in a thread that scores one
        // article after another.
        let count = 30;
        let people: Vec<Vec<EntityId>> = (0..count)
            .map(|a| (0..6).filter(|p| (a * 7 + p * 3) % 5 < 2).collect())
            .collect();
        let topics: Vec<Vec<EntityId>> = (0..count).map(|a| vec![a % 3]).collect();
        let days: Vec<i64> = (0..count)
            .map(|a| 1000 - (a * a % 17) as i64 * 20)
            .collect();
        let one_thread = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let found = one_thread.install(|| related(&people, &topics, &days));
        let weight = |holds: &dyn Fn(usize) -> bool| {
            let len = (0..count).filter(|b| holds(*b)).count();
            (1.0 + count as f64 / len as f64).ln()
        };
        for a in 0..count {
            let mut ranked: Vec<(f64, usize)> = (0..count)
                .filter(|b| *b != a)
                .filter_map(|b| {
                    let shared_people = people[a].iter().filter(|p| people[b].contains(p));
                    let shared_topics = topics[a].iter().filter(|t| topics[b].contains(t));
                    let weights: Vec<f64> = shared_people
                        .map(|p| weight(&|c| people[c].contains(p)))
                        .chain(shared_topics.map(|t| weight(&|c| topics[c].contains(t))))
                        .collect();
                    let score = weights.iter().sum::<f64>();
                    let apart = (days[a] - days[b]).unsigned_abs() as f64;
                    (!weights.is_empty()).then_some((score / (1.0 + apart / 90.0), b))
                })
                .collect();
            ranked.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            let expected: Vec<usize> = ranked.iter().take(RELATED_ARTICLES).map(|r| r.1).collect();
            assert_eq!(found[a], expected, "article {a}");
        }
    }

    #[test]
    fn counts_rank_by_frequency_then_id() {
        let sets = vec![vec![2, 1], vec![1], vec![2, 0]];
        assert_eq!(top_counts(&sets, 3, 2), [(1, 2), (2, 2)]);
    }
}
