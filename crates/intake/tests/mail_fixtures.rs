//! The sample messages in `tests/fixtures/intake/mail/` read as a person
//! or a machine wrote them.

use lejek_intake::{MachineMail, read_mail};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../tests/fixtures/intake/mail/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn iso_8859_2_quoted_printable_reads_as_polish() {
    let mail = read_mail(&fixture("iso-8859-2-quoted-printable.eml")).unwrap();
    let sender = mail.sender.unwrap();
    assert_eq!(sender.email, "g.brzeczyszczykiewicz@fabryka-lozysk.pl");
    assert_eq!(sender.name.as_deref(), Some("Grzegorz Brzęczyszczykiewicz"));
    assert_eq!(mail.subject, "Zapytanie o ofertę - łożyska");
    assert!(mail.text.contains("Zażółć gęślą jaźń."), "{}", mail.text);
    assert!(mail.text.contains("dostawa do Łodzi"));
    assert_eq!(mail.message_id, "20261207091200.4711@fabryka-lozysk.pl");
    assert_eq!(mail.machine, None);
}

#[test]
fn an_html_only_message_is_reduced_to_text() {
    let mail = read_mail(&fixture("html-only.eml")).unwrap();
    assert!(
        mail.text.contains("abonament roczny dla 15 użytkowników"),
        "{}",
        mail.text
    );
    assert!(!mail.text.contains('<'), "{}", mail.text);
    assert!(!mail.text.contains("color:red"), "{}", mail.text);
}

#[test]
fn a_multipart_message_gives_its_text_part_and_names_its_attachments() {
    let mail = read_mail(&fixture("multipart-with-attachments.eml")).unwrap();
    assert_eq!(
        mail.text,
        "W załączniku specyfikacja. Prosimy o ofertę do piątku."
    );
    assert_eq!(
        mail.attachments,
        vec!["specyfikacja.pdf".to_owned(), "ilosci.csv".to_owned()]
    );
    assert_eq!(mail.machine, None);
}

#[test]
fn a_reply_names_the_message_it_answers() {
    let mail = read_mail(&fixture("reply.eml")).unwrap();
    assert_eq!(
        mail.answers,
        vec!["20261207091200.4711@fabryka-lozysk.pl".to_owned()]
    );
    assert_eq!(mail.subject, "Re: Zapytanie o ofertę");
}

#[test]
fn auto_replies_bounces_and_lists_are_machine_mail() {
    for (name, expected) in [
        ("auto-reply.eml", MachineMail::AutoSubmitted),
        ("bounce.eml", MachineMail::Bounce),
        ("mailing-list.eml", MachineMail::Bulk),
    ] {
        assert_eq!(
            read_mail(&fixture(name)).unwrap().machine,
            Some(expected),
            "{name}"
        );
    }
}
