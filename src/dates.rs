//! Dates as front matter writes them: publication dates (a day or a moment) and
//! the possibly partial dates of reported events ("2018", "2018-04").

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::ZonedDateTime;

/// Parses `YYYY-MM-DD`, RFC 3339, or `YYYY-MM-DD HH:MM[:SS[.fraction]] [+HHMM]`,
/// as other generators' archives write them too: a one-digit month, day or
/// hour (`2019-3-4 9:05`), an offset of hours only (`+01`), or `UTC`/`GMT`.
/// A date or a time without offset is read in `site_tz`; an explicit offset is
/// kept, so the day shown (and used in the URL) is the day the editor wrote.
pub fn parse_datetime(text: &str, site_tz: &TimeZone) -> Result<ZonedDateTime, String> {
    let text = text.trim();
    let (date, rest) = split_date(text)?;
    let rest = rest.trim_start();
    if rest.is_empty() {
        return in_zone(date.to_datetime(Time::midnight()), site_tz.clone());
    }
    let rest = rest.strip_prefix(['T', 't']).unwrap_or(rest);
    let time_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.' || c == ','))
        .unwrap_or(rest.len());
    let (time_text, offset_text) = rest.split_at(time_len);
    // `9:05` is `09:05`.
    let padded;
    let time_text = if time_text.find(':') == Some(1) {
        padded = format!("0{time_text}");
        &padded
    } else {
        time_text
    };
    let time: Time = time_text
        .parse()
        .map_err(|_| format!("`{text}` has no valid time of day (expected HH:MM or HH:MM:SS)"))?;
    let datetime = date.to_datetime(time);
    match offset_text.trim() {
        "" => in_zone(datetime, site_tz.clone()),
        "Z" | "z" | "UTC" | "GMT" => in_zone(datetime, TimeZone::UTC),
        offset => {
            let offset = parse_offset(offset).ok_or_else(|| {
                format!(
                    "`{text}` has an invalid UTC offset `{offset}` (expected +HH:MM, +HHMM, +HH or Z)"
                )
            })?;
            in_zone(datetime, TimeZone::fixed(offset))
        }
    }
}

/// For text shaped like YYYY-MM-DD that names no real day (`2023-02-30`),
/// what is wrong with it.
pub fn no_such_day(text: &str) -> Option<String> {
    let shaped = text.len() >= 10
        && text.bytes().take(10).enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped || text[..10].parse::<Date>().is_ok() {
        return None;
    }
    let date = &text[..10];
    let (year, month, day): (i16, i8, i8) = (
        date[..4].parse().ok()?,
        date[5..7].parse().ok()?,
        date[8..].parse().ok()?,
    );
    if !(1..=12).contains(&month) {
        return Some(format!("`{date}` has no month {month}"));
    }
    let days = Date::new(year, month, 1).ok()?.days_in_month();
    Some(format!(
        "`{date}` has no day {day}: {} {year} has {days} days",
        month_name(month)
    ))
}

/// The date a text starts with, `YYYY-MM-DD` (or `YYYY-M-D`), and the rest.
fn split_date(text: &str) -> Result<(Date, &str), String> {
    let invalid = || {
        no_such_day(text).unwrap_or_else(|| format!(
            "`{text}` is not a date: expected YYYY-MM-DD, an RFC 3339 date-time, or \"YYYY-MM-DD HH:MM\""
        ))
    };
    let digits = |from: usize, min: usize, max: usize| {
        let count = text
            .get(from..)
            .unwrap_or_default()
            .bytes()
            .take(max)
            .take_while(u8::is_ascii_digit)
            .count();
        (count >= min).then_some(from + count)
    };
    let dash = |at: usize| (text.as_bytes().get(at) == Some(&b'-')).then_some(at + 1);
    let year_end = digits(0, 4, 4).ok_or_else(invalid)?;
    let month_end = dash(year_end)
        .and_then(|from| digits(from, 1, 2))
        .ok_or_else(invalid)?;
    let day_end = dash(month_end)
        .and_then(|from| digits(from, 1, 2))
        .ok_or_else(invalid)?;
    let number = |from: usize, to: usize| text[from..to].parse::<i8>().ok();
    let year: i16 = text[..4].parse().map_err(|_| invalid())?;
    let (month, day) = (
        number(year_end + 1, month_end).ok_or_else(invalid)?,
        number(month_end + 1, day_end).ok_or_else(invalid)?,
    );
    let date = Date::new(year, month, day).map_err(|_| invalid())?;
    Ok((date, &text[day_end..]))
}

fn in_zone(datetime: DateTime, tz: TimeZone) -> Result<ZonedDateTime, String> {
    datetime
        .to_zoned_datetime(tz)
        .map_err(|e| format!("{datetime} cannot be placed in its time zone: {e}"))
}

fn parse_offset(text: &str) -> Option<Offset> {
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if !matches!(digits.len(), 2 | 4) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = match &digits[2..] {
        "" => 0,
        minutes => minutes.parse().ok()?,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

/// "June 19, 2018". Pages show many dates: this is written out by hand for
/// the years pages have, as `strftime("%B %-d, %Y")` would write it.
pub fn long_date(date: Date) -> String {
    if !(0..=9999).contains(&date.year()) {
        return date.strftime("%B %-d, %Y").to_string();
    }
    let mut text = String::with_capacity(18);
    text.push_str(month_name(date.month()));
    text.push(' ');
    push_number(&mut text, date.day().into(), 1);
    text.push_str(", ");
    push_number(&mut text, date.year().into(), 4);
    text
}

/// RFC 3339 with the date's own offset, as `strftime("%Y-%m-%dT%H:%M:%S%:z")`
/// would write it (written out by hand, as `long_date`).
pub fn rfc3339(date: &ZonedDateTime) -> String {
    let offset = date.offset().seconds();
    if !(0..=9999).contains(&date.year()) || offset % 60 != 0 {
        return date.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
    }
    let mut text = String::with_capacity(25);
    for (number, width, after) in [
        (i32::from(date.year()), 4, '-'),
        (date.month().into(), 2, '-'),
        (date.day().into(), 2, 'T'),
        (date.hour().into(), 2, ':'),
        (date.minute().into(), 2, ':'),
        (date.second().into(), 2, if offset < 0 { '-' } else { '+' }),
        (offset.abs() / 3600, 2, ':'),
    ] {
        push_number(&mut text, number, width);
        text.push(after);
    }
    push_number(&mut text, offset.abs() % 3600 / 60, 2);
    text
}

/// `number` (not negative) in decimal, zero-padded to `width` digits.
fn push_number(text: &mut String, number: i32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut at = digits.len();
    let mut rest = number.unsigned_abs();
    while rest > 0 || digits.len() - at < width {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    text.extend(digits[at..].iter().map(|d| char::from(*d)));
}

/// The date of a reported event: a year, a month, a day, or a moment.
/// Ordering is chronological with the less precise date first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<i8>,
    pub day: Option<i8>,
    pub time: Option<Time>,
}

impl PartialDate {
    pub fn parse(text: &str) -> Result<PartialDate, String> {
        let text = text.trim();
        let invalid =
            || format!("`{text}` is not a date: expected YYYY, YYYY-MM, YYYY-MM-DD or a date-time");
        let parts: Vec<&str> = text.splitn(3, '-').collect();
        let number = |s: &str, len: usize| -> Option<i64> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        match parts.as_slice() {
            [year] => {
                let year = number(year, 4).ok_or_else(invalid)?;
                Ok(PartialDate::from_parts(year, None, None, None))
            }
            [year, month] => {
                let (year, month) = (
                    number(year, 4).ok_or_else(invalid)?,
                    number(month, 2).ok_or_else(invalid)?,
                );
                if !(1..=12).contains(&month) {
                    return Err(format!("`{text}` has no month {month}"));
                }
                Ok(PartialDate::from_parts(year, Some(month), None, None))
            }
            _ => {
                let (date, rest) = split_date(text)?;
                let rest = rest.trim_start();
                let time = if rest.is_empty() {
                    None
                } else {
                    let moment = parse_datetime(text, &TimeZone::UTC)?;
                    Some(moment.datetime().time())
                };
                Ok(PartialDate {
                    year: date.year(),
                    month: Some(date.month()),
                    day: Some(date.day()),
                    time,
                })
            }
        }
    }

    fn from_parts(year: i64, month: Option<i64>, day: Option<i64>, time: Option<Time>) -> Self {
        PartialDate {
            year: year as i16,
            month: month.map(|m| m as i8),
            day: day.map(|d| d as i8),
            time,
        }
    }

    pub fn from_date(date: Date) -> Self {
        PartialDate {
            year: date.year(),
            month: Some(date.month()),
            day: Some(date.day()),
            time: None,
        }
    }

    /// As precise as it was written: "2018", "2018-04", "2018-04-06".
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }

    /// "2018", "April 2018", "April 6, 2018".
    pub fn display(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => match Date::new(self.year, m, d) {
                Ok(date) => long_date(date),
                Err(_) => self.iso(),
            },
            (Some(m), None) => format!("{} {}", month_name(m), self.year),
            _ => self.year.to_string(),
        }
    }
}

pub fn month_name(month: i8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES
        .get(usize::try_from(month - 1).unwrap_or(0))
        .copied()
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn dates_are_written_as_strftime_writes_them(
            year in -9999i16..=9999,
            month in 1i8..=12,
            day in 1i8..=28,
            hour in 0i8..=23,
            minute in 0i8..=59,
            second in 0i8..=59,
            offset in -93_599i32..=93_599,
            whole_minutes: bool,
        ) {
            let date = Date::new(year, month, day).unwrap();
            proptest::prop_assert_eq!(long_date(date), date.strftime("%B %-d, %Y").to_string());
            let offset = if whole_minutes { offset / 60 * 60 } else { offset };
            let zoned = date
                .at(hour, minute, second, 0)
                .to_zoned_datetime(TimeZone::fixed(Offset::from_seconds(offset).unwrap()))
                .unwrap();
            proptest::prop_assert_eq!(
                rfc3339(&zoned),
                zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
            );
        }
    }

    fn utc(text: &str) -> Result<String, String> {
        parse_datetime(text, &TimeZone::UTC).map(|z| z.timestamp().to_string())
    }

    #[test]
    fn publication_dates_in_every_documented_form() {
        assert_eq!(utc("2018-06-19").unwrap(), "2018-06-19T00:00:00Z");
        assert_eq!(utc("2018-06-19T14:30:00Z").unwrap(), "2018-06-19T14:30:00Z");
        assert_eq!(
            utc("2018-06-19T14:30:00.250+02:00").unwrap(),
            "2018-06-19T12:30:00.25Z"
        );
        assert_eq!(utc("2018-06-19 14:30").unwrap(), "2018-06-19T14:30:00Z");
        assert_eq!(
            utc("2018-06-19 14:30:05 +0000").unwrap(),
            "2018-06-19T14:30:05Z"
        );
        assert_eq!(
            utc("2018-06-19 14:30 -0500").unwrap(),
            "2018-06-19T19:30:00Z"
        );
    }

    #[test]
    fn dates_as_other_generators_write_them() {
        // Jekyll's own format, with and without seconds.
        assert_eq!(
            utc("2019-03-04 10:20:30 +0100").unwrap(),
            "2019-03-04T09:20:30Z"
        );
        assert_eq!(utc("2019-03-04 10:20").unwrap(), "2019-03-04T10:20:00Z");
        // Hugo's RFC 3339, with fractions of a second.
        assert_eq!(
            utc("2019-03-04T10:20:30.123+01:00").unwrap(),
            "2019-03-04T09:20:30.123Z"
        );
        assert_eq!(
            utc("2019-03-04T10:20:30.123456789Z").unwrap(),
            "2019-03-04T10:20:30.123456789Z"
        );
        assert_eq!(
            utc("2019-03-04 10:20:30.000000000 +01:00").unwrap(),
            "2019-03-04T09:20:30Z"
        );
        // Short forms Ruby's and JavaScript's date parsers accept.
        assert_eq!(utc("2019-3-4").unwrap(), "2019-03-04T00:00:00Z");
        assert_eq!(utc("2019-03-04 9:05").unwrap(), "2019-03-04T09:05:00Z");
        assert_eq!(
            utc("2019-03-04 10:20:30 +01").unwrap(),
            "2019-03-04T09:20:30Z"
        );
        assert_eq!(
            utc("2019-03-04 10:20:30 UTC").unwrap(),
            "2019-03-04T10:20:30Z"
        );
        assert!(utc("2019-3-40").is_err());
        assert!(utc("2019-003-04").is_err());
        assert!(utc("19-03-04").is_err());
    }

    #[test]
    fn a_time_without_offset_is_in_the_site_time_zone() {
        let new_york = TimeZone::get("America/New_York").unwrap();
        let moment = parse_datetime("2018-06-19 14:30", &new_york).unwrap();
        assert_eq!(moment.timestamp().to_string(), "2018-06-19T18:30:00Z");
    }

    #[test]
    fn an_explicit_offset_keeps_the_written_day() {
        let moment = parse_datetime("2018-06-19T23:30:00-07:00", &TimeZone::UTC).unwrap();
        assert_eq!(moment.date().to_string(), "2018-06-19");
    }

    #[test]
    fn bad_dates_say_what_is_expected() {
        assert!(utc("June 19").unwrap_err().contains("expected YYYY-MM-DD"));
        assert!(utc("2018-02-30").is_err());
        assert!(utc("2018-06-19 25:00").unwrap_err().contains("time of day"));
        assert!(utc("2018-06-19 10:00 CEST").unwrap_err().contains("offset"));
        assert!(utc("").is_err());
        assert!(utc("2018-06-1é").is_err());
    }

    #[test]
    fn partial_dates_keep_their_precision() {
        let april = PartialDate::parse("2018-04").unwrap();
        assert_eq!(april.display(), "April 2018");
        assert_eq!(april.iso(), "2018-04");
        assert_eq!(PartialDate::parse("2018").unwrap().display(), "2018");
        assert_eq!(
            PartialDate::parse("2018-04-06").unwrap().display(),
            "April 6, 2018"
        );
        assert!(PartialDate::parse("2018-13").is_err());
        assert!(PartialDate::parse("18-04").is_err());
        assert!(PartialDate::parse("2018-04-31").is_err());
    }

    #[test]
    fn partial_dates_sort_chronologically_less_precise_first() {
        let mut dates: Vec<PartialDate> = [
            "2018-05-01",
            "2018-04",
            "2018",
            "2018-04-06 09:00",
            "2018-04-06",
        ]
        .iter()
        .map(|s| PartialDate::parse(s).unwrap())
        .collect();
        dates.sort();
        let iso: Vec<String> = dates.iter().map(PartialDate::iso).collect();
        assert_eq!(
            iso,
            ["2018", "2018-04", "2018-04-06", "2018-04-06", "2018-05-01"]
        );
        assert!(dates[3].time.is_some());
    }
}
