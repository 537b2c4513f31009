//! Charts drawn at build time as inline SVG, readable without JavaScript, in
//! dark mode (they draw in `currentColor`) and in print: articles per month for
//! the site, a person or a topic, and sparklines for the index pages.

use std::fmt::{self, Write as _};

use jiff::civil::Date;

use crate::dates::month_name;
use crate::html::escape;

/// A month as a single number, for arithmetic over ranges.
fn month_number(date: Date) -> i32 {
    i32::from(date.year()) * 12 + i32::from(date.month()) - 1
}

/// A month number as "March 2019".
struct Label(i32);

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Label(number) = self;
        write!(f, "{} {}", month_name((number % 12 + 1) as i8), number / 12)
    }
}

/// A month number as "2019-03".
struct Iso(i32);

impl fmt::Display for Iso {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Iso(number) = self;
        write!(f, "{:04}-{:02}", number / 12, number % 12 + 1)
    }
}

/// Article counts for consecutive months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Monthly {
    first: i32,
    counts: Vec<usize>,
}

impl Monthly {
    /// Counts per month from the earliest to the latest of `days`, empty months
    /// included; None when there are no days.
    pub fn of(days: impl IntoIterator<Item = Date>) -> Option<Monthly> {
        let months: Vec<i32> = days.into_iter().map(month_number).collect();
        let first = *months.iter().min()?;
        let last = *months.iter().max()?;
        Some(Monthly::over(first, last, months))
    }

    /// Counts per month over a fixed range, so several series line up.
    fn over(first: i32, last: i32, months: impl IntoIterator<Item = i32>) -> Monthly {
        let mut counts = vec![0; (last - first + 1).max(1) as usize];
        for month in months {
            if let Some(count) = counts.get_mut((month - first) as usize) {
                *count += 1;
            }
        }
        Monthly { first, counts }
    }

    /// The same range, counted for other days (for sparklines against the site).
    pub fn same_range(&self, days: impl IntoIterator<Item = Date>) -> Monthly {
        let last = self.first + self.counts.len() as i32 - 1;
        Monthly::over(self.first, last, days.into_iter().map(month_number))
    }

    pub fn counts(&self) -> &[usize] {
        &self.counts
    }

    fn label(&self, index: usize) -> Label {
        Label(self.first + index as i32)
    }

    fn peak(&self) -> (usize, usize) {
        self.counts
            .iter()
            .copied()
            .enumerate()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .unwrap_or((0, 0))
    }
}

/// A bar chart of articles per month, with a text alternative giving every
/// figure. Each bar carries its month and count in `data-` attributes.
pub fn bar_chart(series: &Monthly, subject: &str) -> String {
    let counts = series.counts();
    let n = counts.len();
    let (peak_index, peak) = series.peak();
    let first = series.label(0);
    let last = series.label(n - 1);
    let title = format!("Articles per month {subject}, {first} to {last}");
    let mut svg = String::with_capacity(300 + n * 160);
    let _ = write!(
        svg,
        "<figure class=\"chart\"><svg class=\"chart-bars\" viewBox=\"0 0 {n} 100\" preserveAspectRatio=\"none\" role=\"img\" aria-labelledby=\"chart-title chart-desc\"><title id=\"chart-title\">{}</title><desc id=\"chart-desc\">",
        escape(&title),
    );
    // Month names and numbers: nothing to escape.
    for (i, count) in counts.iter().enumerate() {
        let separator = if i == 0 { "" } else { "; " };
        let _ = write!(svg, "{separator}{}: {count}", series.label(i));
    }
    svg.push_str("</desc>");
    for (i, count) in counts.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        let height = (*count as f64 / peak.max(1) as f64 * 100.0).max(2.0);
        let _ = write!(
            svg,
            "<rect x=\"{i}.1\" y=\"{:.2}\" width=\"0.8\" height=\"{height:.2}\" data-month=\"{}\" data-count=\"{count}\"><title>{}: {count}</title></rect>",
            100.0 - height,
            Iso(series.first + i as i32),
            series.label(i)
        );
    }
    let _ = write!(
        svg,
        "</svg><figcaption><span>{first}</span><span>Articles per month; most: {peak} in {}</span><span>{last}</span></figcaption></figure>",
        series.label(peak_index)
    );
    svg
}

/// A small chart of activity over the site's whole range, for index pages:
/// months when the range is short, quarters or years when it is long.
pub fn sparkline(series: &Monthly, name: &str) -> String {
    let counts = series.counts();
    let bucket = match counts.len() {
        0..=24 => 1,
        25..=72 => 3,
        _ => 12,
    };
    let buckets: Vec<usize> = counts.chunks(bucket).map(|c| c.iter().sum()).collect();
    let peak = buckets.iter().copied().max().unwrap_or(0).max(1);
    let total: usize = counts.iter().sum();
    let mut path = String::new();
    for (i, count) in buckets.iter().enumerate() {
        if *count > 0 {
            let height = (*count as f64 / peak as f64 * 10.0).max(1.0);
            let _ = write!(path, "M{i}.1 10v-{height:.1}h.8v{height:.1}z");
        }
    }
    let first = series.label(0);
    let last = series.label(counts.len().saturating_sub(1));
    format!(
        "<svg class=\"sparkline\" viewBox=\"0 0 {} 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{}\"><path d=\"{path}\"/></svg>",
        buckets.len(),
        escape(&format!("{name}: {total} articles from {first} to {last}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn months_without_articles_are_counted_as_zero() {
        let series =
            Monthly::of([day("2018-04-06"), day("2018-06-19"), day("2018-06-20")]).unwrap();
        assert_eq!(series.counts(), [1, 0, 2]);
        assert_eq!(Monthly::of([]), None);
    }

    #[test]
    fn ranges_cross_years() {
        let series = Monthly::of([day("2017-12-31"), day("2018-01-01")]).unwrap();
        assert_eq!(series.counts(), [1, 1]);
        assert_eq!(series.label(0).to_string(), "December 2017");
    }

    #[test]
    fn the_chart_carries_every_figure() {
        let series =
            Monthly::of([day("2018-04-06"), day("2018-06-19"), day("2018-06-20")]).unwrap();
        let svg = bar_chart(&series, "for <Courts>");
        assert!(svg.contains("data-month=\"2018-04\" data-count=\"1\""));
        assert!(svg.contains("data-month=\"2018-06\" data-count=\"2\""));
        assert!(
            !svg.contains("data-month=\"2018-05\""),
            "empty months draw no bar"
        );
        assert!(svg.contains("April 2018: 1; May 2018: 0; June 2018: 2"));
        assert!(svg.contains("for &lt;Courts&gt;"));
        assert!(svg.contains("most: 2 in June 2018"));
    }

    #[test]
    fn sparklines_group_long_ranges() {
        let site = Monthly::of([day("2010-01-01"), day("2019-12-01")]).unwrap();
        let person = site.same_range([day("2012-03-01"), day("2012-04-01")]);
        let svg = sparkline(&person, "A & B");
        assert!(
            svg.contains("viewBox=\"0 0 10 10\""),
            "ten years as ten bars: {svg}"
        );
        assert!(
            svg.contains("aria-label=\"A &amp; B: 2 articles from January 2010 to December 2019\"")
        );
    }
}
