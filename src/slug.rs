//! Slugs: ASCII, lowercase, runs of anything but `[a-z0-9]` as one `-`.

/// "Kirstjen Nielsen" -> `kirstjen-nielsen`, "José Rodríguez" -> `jose-rodriguez`.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    slug
}

/// The key names and aliases are compared by: case and spacing do not matter.
pub fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        // A word at a time, as lowercasing Greek needs to know where words end.
        if word.is_ascii() {
            key.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            key.push_str(&word.to_lowercase());
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_become_slugs() {
        assert_eq!(slugify("Kirstjen Nielsen"), "kirstjen-nielsen");
        assert_eq!(slugify("George W. Bush"), "george-w-bush");
        assert_eq!(slugify("José Rodríguez"), "jose-rodriguez");
        assert_eq!(slugify("  --Family   separation!! "), "family-separation");
        assert_eq!(slugify("Ms. L. v. ICE"), "ms-l-v-ice");
        assert_eq!(slugify("Zürich 2018"), "zurich-2018");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn name_keys_ignore_case_and_spacing() {
        assert_eq!(name_key("  Jeff   SESSIONS "), "jeff sessions");
        assert_eq!(name_key("ΟΔΥΣΣΕΥΣ  Élan"), "οδυσσευς élan");
    }

    proptest! {
        #[test]
        fn slugify_is_idempotent(text in "\\PC*") {
            let once = slugify(&text);
            prop_assert_eq!(slugify(&once), once.clone());
            prop_assert!(once.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            prop_assert!(!once.starts_with('-') && !once.ends_with('-'));
        }
    }
}
