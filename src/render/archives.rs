//! Dated archives: a page per year, month and day with content, each linked to
//! the previous and next period that has content.

use std::collections::HashMap;

use jiff::civil::Date;
use tera::Context;

use super::{Page, Renderer};
use crate::dates::{long_date, month_name};
use crate::error::Result;
use crate::model::{self, SiteIndex};
use crate::views::*;

/// A run of `index.days` that shares a month.
pub(super) struct MonthSpan {
    pub(super) year: i16,
    pub(super) month: i8,
    pub(super) days: std::ops::Range<usize>,
}

/// A run of months that shares a year.
pub(super) struct YearSpan {
    pub(super) year: i16,
    pub(super) months: std::ops::Range<usize>,
}

pub(super) fn periods(index: &SiteIndex) -> (Vec<MonthSpan>, Vec<YearSpan>) {
    let mut months: Vec<MonthSpan> = Vec::new();
    for (i, (day, _)) in index.days.iter().enumerate() {
        match months.last_mut() {
            Some(span) if span.year == day.year() && span.month == day.month() => {
                span.days.end = i + 1
            }
            _ => months.push(MonthSpan {
                year: day.year(),
                month: day.month(),
                days: i..i + 1,
            }),
        }
    }
    let mut years: Vec<YearSpan> = Vec::new();
    for (i, month) in months.iter().enumerate() {
        match years.last_mut() {
            Some(span) if span.year == month.year => span.months.end = i + 1,
            _ => years.push(YearSpan {
                year: month.year,
                months: i..i + 1,
            }),
        }
    }
    (months, years)
}

/// Events dated to a day, by that day, for the day digests.
pub(super) fn events_by_day(index: &SiteIndex) -> HashMap<Date, Vec<usize>> {
    let mut by_day: HashMap<Date, Vec<usize>> = HashMap::new();
    for (id, event) in index.events.iter().enumerate() {
        if let (Some(month), Some(day)) = (event.date.month, event.date.day) {
            if let Ok(date) = Date::new(event.date.year, month, day) {
                by_day.entry(date).or_default().push(id);
            }
        }
    }
    by_day
}

impl<'a> Renderer<'a> {
    fn period_links(
        &self,
        newer: Option<(String, String)>,
        older: Option<(String, String)>,
        context: &mut Context,
    ) {
        let link = |p: Option<(String, String)>| {
            p.map(|(name, path)| LinkView::new(&name, self.index.site.url(&path)))
        };
        context.insert("newer", &link(newer));
        context.insert("older", &link(older));
    }

    pub(super) fn year_page(&self, i: usize) -> Result<Page> {
        let span = &self.years[i];
        let path = model::year_path(span.year);
        let months: Vec<serde_json::Value> = self.months[span.months.clone()]
            .iter()
            .map(|m| {
                let count: usize = self.index.days[m.days.clone()]
                    .iter()
                    .map(|(_, a)| a.len())
                    .sum();
                serde_json::json!({
                    "label": format!("{} {}", month_name(m.month), m.year),
                    "url": self.index.site.url(&model::month_path(m.year, m.month)),
                    "count": count,
                })
            })
            .collect();
        let label = span.year.to_string();
        let mut context = self.context(&label, &path, "");
        context.insert("label", &label);
        context.insert("months", &months);
        let year = |j: usize| {
            self.years
                .get(j)
                .map(|y| (y.year.to_string(), model::year_path(y.year)))
        };
        self.period_links(i.checked_sub(1).and_then(year), year(i + 1), &mut context);
        self.finish("year.html", &path, context)
    }

    pub(super) fn month_page(&self, i: usize) -> Result<Page> {
        let span = &self.months[i];
        let path = model::month_path(span.year, span.month);
        let days: Vec<serde_json::Value> = self.index.days[span.days.clone()]
            .iter()
            .map(|(day, ids)| {
                serde_json::json!({
                    "label": long_date(*day),
                    "url": self.index.site.url(&model::day_path(*day)),
                    "articles": self.cards(ids.iter().copied()),
                })
            })
            .collect();
        let label = format!("{} {}", month_name(span.month), span.year);
        let mut context = self.context(&label, &path, "");
        context.insert("label", &label);
        context.insert("days", &days);
        context.insert(
            "year",
            &LinkView::new(
                &span.year.to_string(),
                self.index.site.url(&model::year_path(span.year)),
            ),
        );
        let month = |j: usize| {
            self.months.get(j).map(|m| {
                (
                    format!("{} {}", month_name(m.month), m.year),
                    model::month_path(m.year, m.month),
                )
            })
        };
        self.period_links(i.checked_sub(1).and_then(month), month(i + 1), &mut context);
        self.finish("month.html", &path, context)
    }

    pub(super) fn day_page(&self, i: usize) -> Result<Page> {
        let index = self.index;
        let (day, ids) = &index.days[i];
        let path = model::day_path(*day);
        let events: Vec<EventView> = self
            .day_events
            .get(day)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|e| self.event_view(*e))
            .collect();
        let label = long_date(*day);
        let mut context = self.context(&label, &path, "");
        context.insert("label", &label);
        context.insert("articles", &self.cards(ids.iter().copied()));
        context.insert("events", &events);
        context.insert(
            "month",
            &LinkView::new(
                &format!("{} {}", month_name(day.month()), day.year()),
                index.site.url(&model::month_path(day.year(), day.month())),
            ),
        );
        let day_link = |j: usize| {
            index
                .days
                .get(j)
                .map(|(d, _)| (long_date(*d), model::day_path(*d)))
        };
        self.period_links(
            i.checked_sub(1).and_then(day_link),
            day_link(i + 1),
            &mut context,
        );
        self.finish("day.html", &path, context)
    }
}
