//! `newsdigest init DIR`: a new site with one article, one person and one topic,
//! built by the theme embedded in the binary.

use std::path::Path;

use crate::error::{Error, Result};

const SITE_YAML: &str = r#"# Every key is optional; these are the defaults unless noted.
title: My news digest            # default: "News digest"
description: The week's news, with the people and topics behind it.
base_url: /                      # e.g. https://example.org/news/ when published under a sub-path
language: en
timezone: UTC                    # IANA name; dates written without an offset are in this zone
theme: default
per_page:
  home: 12
  timeline: 40
  topic: 20
  person: 20
"#;

const PERSON: &str = r#"---
name: Alex Rivera
aliases: [Councillor Rivera]
role: City council member
description: Chairs the council's transport committee.
links:
  - {title: Council profile, url: "https://example.org/council/rivera"}
---
Alex Rivera has served on the city council since 2021 and chairs its transport
committee.
"#;

const TOPIC: &str = r#"---
name: City council
aliases: [council]
description: Decisions and debates of the city council.
---
What the council decides, who pushed for it, and what happens next.
"#;

fn article(date: &str) -> String {
    format!(
        r#"---
title: Council approves protected bike lanes on Main Street
summary: A 7-2 vote funds the first protected lanes downtown.
topics: [City council]
people: [Alex Rivera]
events:
  - {{date: {date}, title: Council votes on the Main Street bike lanes}}
dateline: City Hall
authors: [Newsroom]
---
The city council voted 7-2 on Tuesday to fund protected bike lanes along Main
Street, the first in the downtown core.

## What changes

- Parking moves to one side of the street.
- Work starts next spring.

Every article is a Markdown file like this one. Edit it, add more under
`content/articles/`, and run `newsdigest build` again.
"#
    )
}

/// Creates a site in `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "{} already exists and is not empty; choose a new folder",
                dir.display()
            )));
        }
    }
    let today = jiff::ZonedDateTime::now().date().to_string();
    let files = [
        ("site.yaml".to_string(), SITE_YAML.to_string()),
        (
            format!("content/articles/{today}-council-approves-bike-lanes.md"),
            article(&today),
        ),
        (
            "content/people/alex-rivera.md".to_string(),
            PERSON.to_string(),
        ),
        (
            "content/topics/city-council.md".to_string(),
            TOPIC.to_string(),
        ),
    ];
    for (path, text) in files {
        crate::fs::write_creating_dirs(&dir.join(path), text.as_bytes())?;
    }
    Ok(())
}
