//! How leads come in (intake spec): the channels, and the words a file
//! import is described in on the wire — what a column holds, how a file is
//! read, how far an import has got.

use crate::wire::wire_enum;

wire_enum! {
    /// The way a lead came into Lejek other than typed in by hand.
    pub enum IntakeChannel {
        Import => "import", "import z pliku", "file import";
        WebForm => "web_form", "formularz WWW", "web form";
        Email => "email", "wiadomość e-mail", "e-mail";
    }
}

wire_enum! {
    /// What a column of an imported file holds.
    pub enum ImportField {
        Subject => "subject", "Temat", "Subject";
        Source => "source", "Źródło", "Source";
        ContactName => "contact_name", "Imię i nazwisko", "Contact name";
        Company => "company", "Firma", "Company";
        Email => "email", "E-mail", "E-mail";
        Phone => "phone", "Telefon", "Phone";
        ExpectedCloseDate => "expected_close_date", "Przewidywana data zamknięcia", "Expected close date";
        Value => "value", "Wartość", "Value";
        Currency => "currency", "Waluta", "Currency";
        Qualifier => "qualifier", "Kwalifikator", "Qualifier";
        OwnerEmail => "owner_email", "Właściciel (e-mail)", "Owner (e-mail)";
        ExternalId => "external_id", "Identyfikator zewnętrzny", "External id";
    }
}

wire_enum! {
    /// The character encoding a text file is read in.
    pub enum TextEncoding {
        Utf8 => "utf-8", "UTF-8", "UTF-8";
        Windows1250 => "windows-1250", "Windows-1250 (Excel, polski)", "Windows-1250 (Polish Excel)";
        Iso88592 => "iso-8859-2", "ISO-8859-2", "ISO-8859-2";
    }
}

wire_enum! {
    /// What separates the cells of a CSV file.
    pub enum Delimiter {
        Semicolon => "semicolon", "średnik (;)", "semicolon (;)";
        Comma => "comma", "przecinek (,)", "comma (,)";
        Tab => "tab", "tabulator", "tab";
        Pipe => "pipe", "kreska (|)", "pipe (|)";
    }
}

impl Delimiter {
    pub const fn byte(self) -> u8 {
        match self {
            Delimiter::Semicolon => b';',
            Delimiter::Comma => b',',
            Delimiter::Tab => b'\t',
            Delimiter::Pipe => b'|',
        }
    }
}

wire_enum! {
    /// The kind of file an import reads.
    pub enum ImportFormat {
        Csv => "csv", "CSV", "CSV";
        Xlsx => "xlsx", "Excel (XLSX)", "Excel (XLSX)";
    }
}

wire_enum! {
    /// Where an import stands.
    pub enum ImportState {
        Uploaded => "uploaded", "wczytany, czeka na uruchomienie", "uploaded, not started";
        Queued => "queued", "w kolejce", "queued";
        Running => "running", "w toku", "running";
        Done => "done", "zakończony", "done";
        Failed => "failed", "przerwany błędem", "failed";
    }
}

wire_enum! {
    /// How an imported row finds an existing contact.
    pub enum ContactMatch {
        Email => "email", "po adresie e-mail", "by e-mail";
        EmailOrPhone => "email_or_phone", "po e-mailu, a gdy go brak — po telefonie", "by e-mail, else by phone";
    }
}

wire_enum! {
    /// Who owns the cases an import creates.
    pub enum ImportOwner {
        Unassigned => "unassigned", "nieprzypisane", "unassigned";
        Column => "column", "z kolumny pliku", "from a column of the file";
        User => "user", "wybrana osoba", "a chosen person";
    }
}
