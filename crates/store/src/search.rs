//! The normalised forms stored beside text columns so case-insensitive
//! substring filters behave the same on SQLite and PostgreSQL, Polish
//! letters included.

/// The form a text is stored and searched in: Unicode lower case.
pub fn search_key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// The pattern for a `LIKE` substring match of `needle`, with the LIKE
/// wildcards in the needle escaped (use with `ESCAPE '\'`).
pub fn like_pattern(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in search_key(needle).chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_keys_lower_case_polish_letters() {
        assert_eq!(search_key(" ŁÓDŹ Sp. z o.o. "), "łódź sp. z o.o.");
    }

    #[test]
    fn like_wildcards_in_a_needle_are_escaped() {
        assert_eq!(like_pattern("50%_a"), "%50\\%\\_a%");
    }
}
