//! Rendered HTML of the main page kinds, pinned so a change to the default
//! theme's markup is a visible, reviewed diff.

mod common;

use common::TestSite;

const SITE: &str = r#"
-- site.yaml --
title: Snapshot Digest
timezone: America/New_York
-- content/people/kirstjen-nielsen.md --
---
name: Kirstjen Nielsen
role: Secretary of Homeland Security
links: ["https://en.wikipedia.org/wiki/Kirstjen_Nielsen"]
---
Led the department from December 2017 to April 2019.
-- content/topics/immigration.md --
---
name: Immigration
description: Who may come, and how.
---
-- content/articles/2018-06-18-briefing.md --
---
title: Nielsen defends the policy at a briefing
date: "2018-06-18 17:00"
summary: The secretary said the department was enforcing the law.
topics: immigration
people: [Kirstjen Nielsen]
dateline: Washington
authors: [Staff]
sources:
  - {title: "White House briefing", publisher: "C-SPAN"}
events:
  - {date: 2018-06-18, title: Nielsen briefs reporters at the White House, text: "She took *questions* for 35 minutes."}
---
Homeland Security Secretary Kirstjen Nielsen said on Monday that "we will not apologize".

## Numbers

| Month | Children |
|---|---|
| May | 1,995 |

```yaml
title: Example
```
"#;

fn built() -> TestSite {
    let site = TestSite::new(SITE);
    site.built();
    site
}

#[test]
fn article_page() {
    insta::assert_snapshot!(built().read("2018/06/18/briefing/index.html"));
}

#[test]
fn person_page() {
    insta::assert_snapshot!(built().read("people/kirstjen-nielsen/index.html"));
}

#[test]
fn timeline_page() {
    insta::assert_snapshot!(built().read("timeline/index.html"));
}
