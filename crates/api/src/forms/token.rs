//! The form token: a signed moment the form was shown. A form sent back
//! sooner than a person could fill it, or a day later, or with a token
//! made up or taken from another form, is a bot's.

use chrono::{DateTime, Duration, Utc};

use crate::auth::tokens::Signer;

/// The longest a shown form stays valid.
const VALID_FOR_HOURS: i64 = 24;

/// A token for `form_id` shown at `now`.
pub fn issue(signer: &Signer, form_id: i64, now: DateTime<Utc>) -> String {
    signer.sign(format!("{form_id}:{}", now.timestamp_millis()).as_bytes())
}

/// Whether `token` is this form's, shown at least `min_fill` and at most a
/// day before `now`.
pub fn accepts(signer: &Signer, token: &str, form_id: i64, now: DateTime<Utc>, min_fill: Duration) -> bool {
    let Some(payload) = signer.open(token) else {
        return false;
    };
    let Some((form, millis)) = std::str::from_utf8(&payload)
        .ok()
        .and_then(|text| text.split_once(':'))
    else {
        return false;
    };
    let shown = millis
        .parse::<i64>()
        .ok()
        .and_then(DateTime::<Utc>::from_timestamp_millis);
    match (form.parse::<i64>(), shown) {
        (Ok(form), Some(shown)) => {
            form == form_id && now - shown >= min_fill && now - shown <= Duration::hours(VALID_FOR_HOURS)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;

    fn signer() -> Signer {
        Signer::new(
            &SecretString::from("form-token-test-secret-0123456789abcdef".to_owned()),
            "form",
        )
    }

    #[test]
    fn a_token_is_good_for_its_form_after_the_fill_time_and_for_a_day() {
        let signer = signer();
        let shown = Utc::now();
        let token = issue(&signer, 7, shown);
        let fill = Duration::seconds(3);
        assert!(!accepts(&signer, &token, 7, shown + Duration::seconds(1), fill));
        assert!(accepts(&signer, &token, 7, shown + Duration::seconds(3), fill));
        assert!(!accepts(&signer, &token, 8, shown + Duration::seconds(5), fill));
        assert!(!accepts(&signer, &token, 7, shown + Duration::hours(25), fill));
        assert!(!accepts(
            &signer,
            "made-up",
            7,
            shown + Duration::seconds(5),
            fill
        ));
    }
}
