//! Comparing what people typed: headers and labels match whatever their case,
//! spacing, punctuation or missing Polish diacritics.

/// `"Źródło leada:"` → `"zrodloleada"`: lower case, Polish
/// letters folded to ASCII, everything but letters and digits dropped.
pub(crate) fn key(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(fold)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn fold(c: char) -> char {
    match c {
        'ą' => 'a',
        'ć' => 'c',
        'ę' => 'e',
        'ł' => 'l',
        'ń' => 'n',
        'ó' => 'o',
        'ś' => 's',
        'ź' | 'ż' => 'z',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn keys_ignore_case_diacritics_spaces_and_punctuation() {
        assert_eq!(key("Źródło"), "zrodlo");
        assert_eq!(key(" ZRODLO "), "zrodlo");
        assert_eq!(key("Adres e-mail:"), "adresemail");
        assert_eq!(key("Właściciel (e-mail)"), "wlascicielemail");
        assert_eq!(key("ŻÓŁĆ gęślą jaźń"), "zolcgeslajazn");
    }
}
