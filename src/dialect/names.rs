//! Several names in one string, as archives write bylines: "A, B and C",
//! "A & B", "Jane Doe (@jdoe)".

/// Splits `text` at every separator and drops parenthesised asides (a handle,
/// an affiliation). A separator made of letters (`and`) matches as a whole
/// word, in any case; any other (`,`, `&`) wherever it is written. With no
/// separators the text is one name, still without its asides.
pub fn split_names(text: &str, separators: &[String]) -> Vec<String> {
    let mut names = vec![without_asides(text)];
    for separator in separators
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        let is_word = separator.chars().all(char::is_alphabetic);
        names = names
            .iter()
            .flat_map(|name| {
                if is_word {
                    split_at_word(name, separator)
                } else {
                    name.split(separator).map(str::to_string).collect()
                }
            })
            .collect();
    }
    names
        .into_iter()
        .map(|name| name.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|name| !name.is_empty())
        .collect()
}

/// `text` without its `(...)` parts; an unclosed `(` is kept as written.
fn without_asides(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push(' ');
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Splits at `word` standing alone between spaces ("Smith and Jones", not
/// "Alexander").
fn split_at_word(text: &str, word: &str) -> Vec<String> {
    let word = word.to_lowercase();
    let mut parts = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for token in text.split(' ') {
        if token.to_lowercase() == word {
            parts.push(current.join(" "));
            current.clear();
        } else {
            current.push(token);
        }
    }
    parts.push(current.join(" "));
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<String> {
        let separators: Vec<String> = [",", ";", "&", "and"].map(String::from).to_vec();
        split_names(text, &separators)
    }

    #[test]
    fn bylines_become_names() {
        assert_eq!(
            split("Ann Lee, Bo Chen and Cy Diaz"),
            ["Ann Lee", "Bo Chen", "Cy Diaz"]
        );
        assert_eq!(
            split("Ann Lee, Bo Chen, and Cy Diaz"),
            ["Ann Lee", "Bo Chen", "Cy Diaz"]
        );
        assert_eq!(split("Ann Lee & Bo Chen"), ["Ann Lee", "Bo Chen"]);
        assert_eq!(split("Ann Lee AND Bo Chen"), ["Ann Lee", "Bo Chen"]);
        assert_eq!(split("Jane Doe (@jdoe)"), ["Jane Doe"]);
        assert_eq!(
            split("Jane Doe (@jdoe) and Max Roe (Reuters, London)"),
            ["Jane Doe", "Max Roe"]
        );
        assert_eq!(split("  Alexander   Andersen "), ["Alexander Andersen"]);
        assert_eq!(split("Sandra Anderson"), ["Sandra Anderson"]);
        assert_eq!(split("Staff (unclosed"), ["Staff (unclosed"]);
        assert!(split(" , and ").is_empty());
    }

    #[test]
    fn without_separators_a_name_stays_whole() {
        assert_eq!(split_names("Smith, John (@js)", &[]), ["Smith, John"]);
    }
}
