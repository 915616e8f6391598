//! Polish and English. Enum labels (statuses, stages, sources, columns,
//! tabs, violation messages…) come from the domain's `.label(Language)`;
//! this module holds the rest of the interface's words, and formats dates,
//! times and numbers for the chosen language.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use lejek_domain::Language;
use leptos::prelude::*;

use crate::browser;

const STORAGE_KEY: &str = "lejek.language";

/// The chosen language, shared by the whole app.
#[derive(Clone, Copy)]
pub struct I18n {
    language: RwSignal<Language>,
}

impl I18n {
    /// The remembered choice, else Polish for a Polish browser (and for
    /// any language the product does not speak), English for an English one.
    pub fn provide() -> I18n {
        let language = match browser::load_local(STORAGE_KEY).as_deref() {
            Some("pl") => Language::Pl,
            Some("en") => Language::En,
            _ => Language::from_tag(&browser::navigator_language()),
        };
        browser::set_document_language(language.code());
        let i18n = I18n {
            language: RwSignal::new(language),
        };
        provide_context(i18n);
        i18n
    }

    /// The current language (tracked).
    pub fn get(self) -> Language {
        self.language.get()
    }

    /// The current language, without tracking it.
    pub fn get_untracked(self) -> Language {
        self.language.get_untracked()
    }

    pub fn set(self, language: Language) {
        browser::store_local(STORAGE_KEY, language.code());
        browser::set_document_language(language.code());
        self.language.set(language);
    }

    /// A text in the current language (tracked).
    pub fn t(self, key: T) -> &'static str {
        key.text(self.get())
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// A reactive text for views: `{tr(T::Save)}`, `placeholder=tr(T::Search)`.
pub fn tr(key: T) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || i18n.t(key)
}

fn locale(language: Language) -> &'static str {
    match language {
        Language::Pl => "pl-PL",
        Language::En => "en-GB",
    }
}

/// `27 lis 2026` / `27 Nov 2026`.
pub fn format_date(day: NaiveDate, language: Language) -> String {
    let millis = day
        .and_hms_opt(12, 0, 0)
        .map(|at| at.and_utc().timestamp_millis())
        .unwrap_or_default();
    browser::format_instant(
        millis as f64,
        locale(language),
        r#"{"day":"numeric","month":"short","year":"numeric","timeZone":"UTC"}"#,
    )
}

/// A month, short: `gru 26` / `Dec 26`.
pub fn format_month(year: i32, month: u32, language: Language) -> String {
    NaiveDate::from_ymd_opt(year, month, 15)
        .and_then(|day| day.and_hms_opt(12, 0, 0))
        .map(|at| {
            browser::format_instant(
                at.and_utc().timestamp_millis() as f64,
                locale(language),
                r#"{"month":"short","year":"2-digit","timeZone":"UTC"}"#,
            )
        })
        .unwrap_or_default()
}

/// `27 lis 2026, 14:30` in the browser's time zone.
pub fn format_datetime(at: DateTime<Utc>, language: Language) -> String {
    browser::format_instant(
        at.timestamp_millis() as f64,
        locale(language),
        r#"{"day":"numeric","month":"short","year":"numeric","hour":"2-digit","minute":"2-digit"}"#,
    )
}

/// A short date and time for tables: `27 lis, 14:30`, with the year only
/// when it is not this year (`3 mar 2025`).
pub fn format_datetime_short(at: DateTime<Utc>, language: Language) -> String {
    let this_year = browser::year_of(at) == browser::today().year();
    let style = if this_year {
        r#"{"day":"numeric","month":"short","hour":"2-digit","minute":"2-digit"}"#
    } else {
        r#"{"day":"numeric","month":"short","year":"numeric"}"#
    };
    browser::format_instant(at.timestamp_millis() as f64, locale(language), style)
}

/// A count with the language's digit grouping: `12 500` / `12,500`.
pub fn format_count(count: u64, language: Language) -> String {
    browser::format_number(count as f64, locale(language), "{}")
}

/// An amount of money: `12 500,00 zł` / `PLN 12,500.00`.
pub fn format_money(value: f64, currency: &str, language: Language) -> String {
    let valid = currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase());
    if valid {
        browser::format_number(
            value,
            locale(language),
            &format!(r#"{{"style":"currency","currency":"{currency}"}}"#),
        )
    } else {
        format!(
            "{} {currency}",
            browser::format_number(value, locale(language), r#"{"minimumFractionDigits":2}"#)
        )
    }
}

/// A share as a percentage: `66,7%` / `66.7%`.
pub fn format_percent(share: f64, language: Language) -> String {
    browser::format_number(
        share,
        locale(language),
        r#"{"style":"percent","minimumFractionDigits":1,"maximumFractionDigits":1}"#,
    )
}

/// Seconds as days to one decimal: `12,5 dni` / `12.5 days`.
pub fn format_days(seconds: i64, language: Language) -> String {
    let days = seconds as f64 / 86_400.0;
    format!(
        "{} {}",
        browser::format_number(days, locale(language), r#"{"maximumFractionDigits":1}"#),
        T::Days.text(language)
    )
}

/// Defines the interface texts in one table, Polish then English.
macro_rules! texts {
    ($($key:ident => $pl:literal, $en:literal;)+) => {
        /// A text of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T { $($key,)+ }

        impl T {
            pub const fn text(self, language: Language) -> &'static str {
                match (self, language) {
                    $(
                        (T::$key, Language::Pl) => $pl,
                        (T::$key, Language::En) => $en,
                    )+
                }
            }
        }
    };
}

texts! {
    AppName => "Lejek", "Lejek";
    NavPipeline => "Lejek", "Pipeline";
    NavSearch => "Szukaj", "Search";
    NavAnalytics => "Analityka", "Analytics";
    NavImport => "Import", "Import";
    NavWebForms => "Formularze WWW", "Web forms";
    NavMail => "E-mail", "E-mail";
    NewCase => "Nowa sprawa", "New case";
    Logout => "Wyloguj", "Log out";
    Language => "Język", "Language";
    MainNavigation => "Nawigacja główna", "Main navigation";
    SkipToContent => "Przejdź do treści", "Skip to content";

    LoginTitle => "Zaloguj się", "Sign in";
    LoginLead => "Lejek sprzedaży — zaloguj się, aby zobaczyć swoje sprawy.", "Sales funnel — sign in to see your cases.";
    Email => "E-mail", "E-mail";
    Password => "Hasło", "Password";
    SignIn => "Zaloguj", "Sign in";
    SigningIn => "Logowanie…", "Signing in…";
    WrongCredentials => "Nieprawidłowy e-mail lub hasło.", "Wrong e-mail or password.";
    TooManyAttempts => "Zbyt wiele nieudanych prób. Spróbuj ponownie za", "Too many failed attempts. Try again in";
    Seconds => "s", "s";
    DemoAccount => "Konto demonstracyjne:", "Demo account:";
    DemoPassword => "hasło", "password";
    SessionExpired => "Sesja wygasła. Zaloguj się ponownie.", "Your session has expired. Please sign in again.";

    PipelineTitle => "Lejek sprzedaży", "Sales pipeline";
    Tabs => "Podwidoki", "Sub-views";
    Filters => "Filtry", "Filters";
    ClearFilters => "Wyczyść filtry", "Clear filters";
    Columns => "Kolumny", "Columns";
    ColumnsHelp => "Przeciągnij nagłówek, aby zmienić kolejność, albo użyj strzałek. Na nagłówku: Alt+←/→ przesuwa kolumnę, Alt+Shift+←/→ zmienia szerokość.", "Drag a header to reorder, or use the arrows. On a header: Alt+←/→ moves the column, Alt+Shift+←/→ resizes it.";
    MoveUp => "Przesuń wcześniej", "Move earlier";
    MoveDown => "Przesuń później", "Move later";
    RowHeight => "Wysokość wierszy", "Row height";
    SaveView => "Zapisz widok", "Save view";
    Saving => "Zapisywanie…", "Saving…";
    ResetView => "Przywróć domyślny", "Reset view";
    UnsavedChanges => "Niezapisane zmiany", "Unsaved changes";
    ViewSaved => "Widok zapisany.", "View saved.";
    ViewReset => "Przywrócono widok domyślny.", "The default view is back.";
    MovedToSpam => "Przeniesiono do SPAM:", "Moved to SPAM:";
    RestoredToFunnel => "Przywrócono do lejka:", "Restored to the funnel:";
    MarkedForSpam => "Oznaczone jako spam (zostaną przeniesione po zapisaniu):", "Marked as spam (moved when you save):";
    MarkedForRestore => "Oznaczone do przywrócenia (po zapisaniu):", "Marked to restore (when you save):";
    MarkAsSpam => "Oznacz sprawę jako spam", "Mark the case as spam";
    UnmarkSpam => "Cofnij oznaczenie", "Unmark";
    LoadMore => "Wczytaj więcej", "Load more";
    Loading => "Wczytywanie…", "Loading…";
    ShowingOf => "z", "of";
    Shown => "Widoczne", "Showing";
    AllLoaded => "To wszystkie sprawy.", "That is every case.";
    NoCases => "Brak spraw dla tych filtrów.", "No cases match these filters.";
    NoCasesHint => "Zmień filtry albo wybierz inny podwidok.", "Change the filters or pick another sub-view.";
    Unassigned => "Nieprzypisana", "Unassigned";
    Overdue => "Po terminie", "Overdue";
    InvalidLink => "Link zawierał niepoprawne parametry; pokazano widok bez nich.", "The link had invalid parameters; they were ignored.";

    FilterNumber => "Numer sprawy", "Case number";
    FilterCreated => "Utworzono", "Created";
    FilterClose => "Zamknięcie", "Close date";
    FilterSource => "Źródło", "Source";
    FilterCreatedBy => "Założył", "Created by";
    FilterSpam => "Kampania SPAM", "SPAM campaign";
    Any => "Dowolny", "Any";
    AnyPlural => "Wszystkie", "All";
    Selected => "wybrane", "selected";
    From => "Od", "From";
    Since => "od", "since";
    Until => "do", "until";
    To => "Do", "To";
    SinceYesterday => "Od wczoraj", "Since yesterday";
    ThisWeek => "Ten tydzień", "This week";
    ThisMonth => "Ten miesiąc", "This month";
    Clear => "Wyczyść", "Clear";
    Me => "Ja", "Me";
    Owner => "Właściciel", "Owner";
    Qualifier => "Kwalifikator", "Qualifier";
    NoOptions => "Brak pozycji", "Nothing to choose";

    CaseTitle => "Sprawa", "Case";
    Details => "Szczegóły", "Details";
    Edit => "Edytuj", "Edit";
    EditContact => "Edycja kontaktu", "Edit contact";
    Cancel => "Anuluj", "Cancel";
    Save => "Zapisz", "Save";
    Saved => "Zapisano.", "Saved.";
    Required => "wymagane", "required";
    RequiredLegend => "Pola oznaczone * są wymagane.", "Fields marked * are required.";
    Campaign => "Kampania", "Campaign";
    Subject => "Temat", "Subject";
    Source => "Źródło pozyskania", "Source";
    Status => "Status", "Status";
    Stage => "Etap", "Stage";
    Contact => "Kontakt", "Contact";
    Company => "Firma", "Company";
    Phone => "Telefon", "Phone";
    CreatedBy => "Założył", "Created by";
    CreatedAt => "Utworzono", "Created";
    UpdatedAt => "Zmieniono", "Updated";
    ExpectedClose => "Przewidywana data zamknięcia", "Expected close date";
    FollowUp => "Termin kontaktu", "Follow-up";
    ResignationReason => "Przyczyna rezygnacji", "Resignation reason";
    OtherReason => "Inna przyczyna…", "Other reason…";
    ReasonText => "Opisz przyczynę", "Describe the reason";
    Value => "Wartość", "Value";
    Currency => "Waluta", "Currency";
    ClosedAt => "Zamknięto", "Closed";
    Nothing => "Brak", "None";
    MoveInFunnel => "Przesuń w lejku", "Move in the funnel";
    Move => "Przesuń", "Move";
    Reopen => "Wznów sprawę", "Reopen the case";
    ReopenOnlyManager => "Zamkniętą sprawę może wznowić tylko kierownik lub administrator.", "Only a manager or an admin can reopen a closed case.";
    ClosedReadOnly => "Sprawa jest zamknięta.", "The case is closed.";
    ChooseStage => "Wybierz etap", "Choose a stage";
    ChooseReason => "Wybierz przyczynę", "Choose a reason";
    NoStages => "Ten status nie ma etapów.", "This status has no stages.";
    Moved => "Sprawa przesunięta.", "The case was moved.";
    AssignOwner => "Przypisz właściciela", "Assign the owner";
    OwnerChanged => "Zmieniono właściciela.", "The owner was changed.";
    MoveToSpam => "Przenieś do SPAM", "Move to SPAM";
    RestoreToFunnel => "Przywróć do lejka", "Restore to the funnel";
    StaleTitle => "Ktoś inny zmienił tę sprawę.", "Someone else changed this case.";
    StaleBody => "Wczytaj ją ponownie, aby zobaczyć aktualne dane, i powtórz zmianę.", "Reload it to see the current data, then make your change again.";
    Reload => "Wczytaj ponownie", "Reload";
    History => "Historia", "History";
    NoHistory => "Brak zdarzeń.", "No events yet.";
    Notes => "Notatki", "Notes";
    NoNotes => "Brak notatek.", "No notes yet.";
    AddNote => "Dodaj notatkę", "Add note";
    NotePlaceholder => "Treść notatki… (Ctrl+Enter dodaje)", "Write a note… (Ctrl+Enter adds it)";
    System => "System", "System";
    FixFields => "Popraw zaznaczone pola.", "Please correct the highlighted fields.";
    BackToPipeline => "Wróć do lejka", "Back to the pipeline";
    CaseNotFound => "Nie ma takiej sprawy albo nie masz do niej dostępu.", "No such case, or you have no access to it.";

    NewCaseTitle => "Nowa sprawa", "New case";
    NewCaseLead => "Sprawa zacznie w statusie „Oczekujący na podjęcie”.", "The case starts as “Awaiting pickup”.";
    ExistingContact => "Istniejący kontakt", "Existing contact";
    NewContact => "Nowy kontakt", "New contact";
    SearchContacts => "Szukaj kontaktu (nazwa, firma, e-mail, telefon)", "Search contacts (name, company, e-mail, phone)";
    ChangeContact => "Zmień", "Change";
    NoContactsFound => "Nie znaleziono kontaktów.", "No contacts found.";
    Name => "Imię i nazwisko", "Name";
    CreateCase => "Utwórz sprawę", "Create case";
    Creating => "Tworzenie…", "Creating…";
    CaseCreated => "Utworzono sprawę", "Case created";

    ContactTitle => "Kontakt", "Contact";
    ContactCases => "Sprawy kontaktu", "The contact's cases";
    NewCaseForContact => "Nowa sprawa dla kontaktu", "New case for this contact";
    ContactNotFound => "Nie ma takiego kontaktu albo nie masz do niego dostępu.", "No such contact, or you have no access to it.";

    SearchTitle => "Szukaj we wszystkich kampaniach", "Search all campaigns";
    SearchLead => "Także w kampanii SPAM — tu cofniesz pomyłkowe oznaczenie jako spam.", "SPAM included — this is where a case marked as spam by mistake is restored.";
    SearchPlaceholder => "Numer, temat, kontakt, firma, e-mail, telefon…", "Number, subject, contact, company, e-mail, phone…";
    SearchEmpty => "Wpisz, czego szukasz.", "Type what you are looking for.";
    NoResults => "Nic nie znaleziono.", "Nothing found.";
    Restored => "Przywrócono do lejka.", "Restored to the funnel.";

    ImportTitle => "Import leadów z pliku", "Import leads from a file";
    ImportLead => "Plik CSV (np. eksport z Excela, także w Windows-1250 ze średnikami) albo XLSX, do 50 MB i 500 000 wierszy. Najpierw zobaczysz podgląd — nic nie zostanie zaimportowane bez Twojej zgody.", "A CSV file (e.g. an Excel export, Windows-1250 with semicolons too) or XLSX, up to 50 MB and 500,000 rows. You see a preview first — nothing is imported until you say so.";
    DropFile => "Upuść plik tutaj albo wybierz go z dysku", "Drop a file here or choose one from your disk";
    ChooseFile => "Wybierz plik…", "Choose a file…";
    Uploading => "Wczytywanie pliku…", "Uploading the file…";
    RecentImports => "Ostatnie importy", "Recent imports";
    NoImports => "Nie było jeszcze importów.", "No imports yet.";
    ImportNotFound => "Nie ma takiego importu albo nie masz do niego dostępu.", "No such import, or you have no access to it.";
    ImportFile => "Plik", "File";
    ImportState => "Stan", "State";
    ImportRows => "Wiersze", "Rows";
    ImportStarted => "Rozpoczęto", "Started";
    SameFileWarning => "Ten sam plik był już importowany:", "This very file has been imported before:";
    Encoding => "Kodowanie", "Encoding";
    Delimiter => "Separator", "Delimiter";
    Sheet => "Arkusz", "Sheet";
    ColumnField => "Pole w Lejku", "Field in Lejek";
    SkipColumn => "— pomiń kolumnę —", "— skip this column —";
    RowNumber => "Wiersz", "Row";
    RowOk => "OK", "OK";
    PreviewLead => "Pierwsze wiersze tak, jak zostaną zaimportowane. Wiersze z błędami zostaną pominięte i trafią do raportu.", "The first rows as they will be imported. Rows with errors are skipped and go into the report.";
    ContactMatching => "Dopasowanie kontaktów", "Contact matching";
    ImportOwnerLabel => "Właściciel nowych spraw", "Owner of the new cases";
    OwnerPerson => "Osoba", "Person";
    DefaultSource => "Źródło, gdy brak w pliku", "Source when the file has none";
    DefaultCloseDate => "Data zamknięcia, gdy brak w pliku", "Close date when the file has none";
    NoDefault => "— brak —", "— none —";
    RunImport => "Importuj", "Import";
    ImportRunning => "Importowanie…", "Importing…";
    ImportQueued => "Import czeka w kolejce…", "The import is queued…";
    ImportDone => "Import zakończony", "Import finished";
    ImportFailed => "Import przerwany", "Import failed";
    RowsDoneOf => "wierszy z", "rows of";
    CreatedCases => "Utworzone sprawy", "Cases created";
    ReusedContacts => "Istniejące kontakty", "Existing contacts";
    RefusedRows => "Odrzucone wiersze", "Rows refused";
    DownloadRefused => "Pobierz odrzucone wiersze (CSV)", "Download the refused rows (CSV)";
    RefusedHint => "Popraw wiersze w pobranym pliku i zaimportuj go ponownie.", "Fix the rows in the downloaded file and import it again.";
    ImportAnother => "Importuj kolejny plik", "Import another file";
    ShowImportedCases => "Pokaż sprawy w lejku", "Show the cases in the pipeline";
    CameFrom => "Skąd wpłynęła", "Came in by";
    ExternalId => "Identyfikator zewnętrzny", "External id";
    WebFormsTitle => "Formularze WWW", "Web forms";
    WebFormsLead => "Leady z formularzy na Twoich stronach trafiają do lejka jako sprawy do podjęcia. Boty i podwójne kliknięcia nie tworzą spraw.", "Leads from the forms on your sites enter the funnel as cases to pick up. Bots and double clicks create none.";
    NewWebForm => "Nowy formularz", "New form";
    NoWebForms => "Nie ma jeszcze formularzy.", "No forms yet.";
    FormName => "Nazwa", "Name";
    FormOrigins => "Strony, na których formularz jest osadzony (jedna w wierszu, np. https://firma.pl)", "Sites the form is embedded on (one per line, e.g. https://company.com)";
    FormFields => "Pola formularza", "The form's fields";
    FormAssignmentLabel => "Kto dostaje leady", "Who gets the leads";
    FormAgents => "Handlowcy (po kolei)", "Salespeople (in turn)";
    CloseInDays => "Przewidywana data zamknięcia: dni od wpłynięcia", "Expected close date: days after it came in";
    FormActive => "Aktywny", "Active";
    FormInactive => "Nieaktywny", "Inactive";
    Leads => "Leady", "Leads";
    Snippet => "Kod do wklejenia na stronę (bez skryptów)", "Code to paste into your site (no script)";
    CopySnippet => "Kopiuj kod", "Copy the code";
    Copied => "Skopiowano.", "Copied.";
    RetireForm => "Wycofaj formularz", "Retire the form";
    RetireFormConfirm => "Wycofać formularz? Strony, na których jest osadzony, przestaną go wyświetlać.", "Retire the form? The sites it is embedded on will stop showing it.";
    OpenFormPage => "Otwórz stronę formularza", "Open the form's page";
    MailIntakeTitle => "Leady z e-maili", "Leads by e-mail";
    MailIntakeLead => "Wiadomość na adres działu sprzedaży staje się sprawą do podjęcia z treścią jako pierwszą notatką; odpowiedź trafia jako notatka do swojej sprawy. Autoodpowiedzi, zwroty i listy mailingowe nie tworzą spraw.", "A message to the sales address becomes a case to pick up with its text as the first note; a reply is filed as a note on its case. Auto-replies, bounces and mailing lists create none.";
    MailIntakeActive => "Przyjmuj leady z e-maili (wyłączone: bramka dostaje odmowę, poczta IMAP czeka nieprzeczytana)", "Take leads from e-mail (off: the gateway is refused, IMAP mail waits unread)";
    FiledAs => "Sprawy i notatki zakłada:", "Cases and notes are filed by:";
    MailGateway => "Bramka pocztowa", "Mail gateway";
    MailGatewayHow => "Serwer pocztowy przekazuje surową wiadomość (RFC 5322) metodą POST z kluczem API o zakresie „intake” (POST /api/v1/api-keys z \"role\": \"agent\", \"scope\": \"intake\"); ten klucz nie otwiera reszty API.", "A mail server posts the raw message (RFC 5322) with an API key of scope \u{201c}intake\u{201d} (POST /api/v1/api-keys with \"role\": \"agent\", \"scope\": \"intake\"); that key opens nothing else in the API.";
    DeliveryUrl => "Adres dostarczania", "Delivery address";
    MailPipeHow => "Albo potok w aliasach Postfiksa: lejek intake-mail czyta wiadomość ze standardowego wejścia (kod 75: spróbuj później, 65: odrzucona).", "Or a pipe in Postfix's aliases: lejek intake-mail reads the message from standard input (exit 75: try later, 65: refused).";
    ImapPolling => "Skrzynka IMAP", "IMAP mailbox";
    ImapOff => "Ten serwer nie sprawdza skrzynki IMAP (ustaw LEJEK_IMAP_HOST, LEJEK_IMAP_USER i LEJEK_IMAP_PASSWORD).", "This server polls no IMAP mailbox (set LEJEK_IMAP_HOST, LEJEK_IMAP_USER and LEJEK_IMAP_PASSWORD).";
    ImapMailbox => "Skrzynka", "Mailbox";
    ImapLastPoll => "Ostatnie sprawdzenie", "Last poll";
    ImapFiled => "Wiadomości od startu serwera", "Messages since the server started";
    ImapError => "Błąd ostatniego sprawdzenia", "Last poll's error";
    InboundMailTitle => "Ostatnie wiadomości", "Latest messages";
    NoInboundMail => "Nie wpłynęła jeszcze żadna wiadomość.", "No message has come in yet.";
    ReceivedAt => "Wpłynęła", "Received";
    MailChannelLabel => "Droga", "By";
    MailSender => "Nadawca", "Sender";
    MailOutcomeLabel => "Co się stało", "Outcome";
    DuplicateMail => "powtórzona", "repeated";
    Refresh => "Odśwież", "Refresh";
    AnalyticsTitle => "Analityka lejka", "Funnel analytics";
    Period => "Okres", "Period";
    LastMonth => "Poprzedni miesiąc", "Last month";
    ThisQuarter => "Ten kwartał", "This quarter";
    Last12Months => "Ostatnie 12 miesięcy", "Last 12 months";
    Custom => "Własny", "Custom";
    ShowAsTable => "Pokaż jako tabelę", "Show as table";
    ShowAsChart => "Pokaż jako wykres", "Show as chart";
    DownloadCsv => "Pobierz CSV", "Download CSV";
    FunnelChart => "Lejek: sprawy utworzone w okresie według najdalszego etapu", "Funnel: cases created in the period by the furthest step reached";
    FunnelAxis => "Sprawy, które doszły do etapu", "Cases that reached the step";
    Step => "Etap lejka", "Step";
    Reached => "Doszło", "Reached";
    Conversion => "Konwersja", "Conversion";
    DroppedOut => "Zrezygnowało na tym etapie", "Resigned at this step";
    Cohort => "Utworzone w okresie", "Created in the period";
    OpenNow => "Otwarte teraz", "Open now";
    ResignedNow => "Zrezygnowane", "Resigned";
    AcquiredNow => "Pozyskane", "Acquired";
    WinRateBySource => "Skuteczność według źródła", "Win rate by source";
    WinRateByOwner => "Skuteczność według właściciela", "Win rate by owner";
    WinRateAxis => "Pozyskane wśród zamkniętych w okresie", "Acquired among the cases closed in the period";
    WinRate => "Skuteczność", "Win rate";
    Won => "Pozyskane", "Acquired";
    Lost => "Zrezygnowane", "Resigned";
    WonValue => "Wartość pozyskanych", "Acquired value";
    CycleChart => "Długość cyklu sprzedaży według źródła", "Sales cycle length by source";
    CycleAxis => "Mediana dni od utworzenia do pozyskania", "Median days from creation to acquisition";
    Median => "Mediana", "Median";
    P75 => "75. percentyl", "75th percentile";
    Mean => "Średnia", "Mean";
    Count => "Liczba", "Count";
    Days => "dni", "days";
    StageChart => "Mediana czasu na etapie", "Median time per stage";
    StageAxis => "Mediana dni pobytów zakończonych w okresie", "Median days of the stays that ended in the period";
    SittingNow => "Teraz na etapie", "There now";
    AgeMedian => "Mediana wieku", "Median age";
    ForecastChart => "Prognoza według miesiąca przewidywanego zamknięcia", "Forecast by expected close month";
    ForecastAxis => "Wartość otwartych spraw; ciemniej: ważona szansą etapu", "Value of the open cases; darker: weighted by the step's chance";
    Month => "Miesiąc", "Month";
    Weighted => "Ważona", "Weighted";
    FullValue => "Pełna wartość", "Full value";
    Actual => "Pozyskane (fakt)", "Acquired (actual)";
    OverdueMonth => "Zaległe", "Overdue";
    ReasonsChart => "Przyczyny rezygnacji", "Resignation reasons";
    ReasonsAxis => "Sprawy zrezygnowane w okresie", "Cases resigned in the period";
    Reason => "Przyczyna", "Reason";
    TeamTitle => "Zespół", "Team";
    Open => "Otwarte", "Open";
    OverdueFollowUps => "Zaległe kontakty", "Overdue follow-ups";
    Stale => "Bez ruchu 14 dni", "Untouched 14 days";
    CycleMedian => "Mediana cyklu", "Median cycle";
    Moves => "Przesunięcia", "Moves";
    NoData => "Brak danych w tym okresie.", "No data in this period.";

    NotFoundTitle => "Nie ma takiej strony", "Page not found";
    ErrorTitle => "Coś poszło nie tak", "Something went wrong";
    Retry => "Spróbuj ponownie", "Try again";
    ErrNetwork => "Brak połączenia z serwerem.", "Cannot reach the server.";
    ErrNotFound => "Nie znaleziono albo brak dostępu.", "Not found, or you have no access.";
    ErrForbidden => "Twoja rola nie pozwala na tę operację.", "Your role may not do this.";
    ErrTransition => "Tego przejścia nie można wykonać.", "This move is not allowed.";
    ErrValidation => "Niepoprawne dane.", "The data is not valid.";
    ErrBadRequest => "Niepoprawne zapytanie.", "The request is not valid.";
    ErrServer => "Błąd serwera. Spróbuj za chwilę.", "Server error. Try again in a moment.";
    ErrTimeout => "Serwer nie odpowiedział na czas.", "The server did not answer in time.";
    Dismiss => "Zamknij", "Dismiss";
}
