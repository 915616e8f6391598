//! Where a lead came from (spec section 2, "Lead sources").

use crate::wire::wire_enum;

wire_enum! {
    /// The lead source, required when a case is created.
    pub enum Source {
        DirectVisit => "direct_visit", "bezpośrednia wizyta", "direct visit";
        ContactForm => "contact_form", "formularz kontaktowy", "contact form";
        Phone => "phone", "kontakt telefoniczny", "phone call";
        Email => "email", "wiadomość e-mail", "e-mail";
        Livecall => "livecall", "livecall", "livecall";
        Chat => "chat", "chat", "chat";
        SocialMedia => "social_media", "media społecznościowe", "social media";
        Partner => "partner", "partner", "partner";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Language;

    #[test]
    fn there_are_the_eight_sources_of_the_article_in_its_order() {
        let codes: Vec<_> = Source::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            codes,
            [
                "direct_visit",
                "contact_form",
                "phone",
                "email",
                "livecall",
                "chat",
                "social_media",
                "partner"
            ]
        );
    }

    #[test]
    fn sources_have_polish_and_english_labels() {
        assert_eq!(Source::Phone.label(Language::Pl), "kontakt telefoniczny");
        assert_eq!(Source::SocialMedia.label(Language::En), "social media");
    }
}
