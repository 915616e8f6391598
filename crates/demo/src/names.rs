//! Polish names, companies, addresses and subjects, generated from parts.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Lower-case ASCII letters for a Polish text: `Łódź` → `lodz`.
pub fn ascii_fold(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            let folded = match c {
                'ą' | 'Ą' => 'a',
                'ć' | 'Ć' => 'c',
                'ę' | 'Ę' => 'e',
                'ł' | 'Ł' => 'l',
                'ń' | 'Ń' => 'n',
                'ó' | 'Ó' => 'o',
                'ś' | 'Ś' => 's',
                'ź' | 'Ź' | 'ż' | 'Ż' => 'z',
                c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
                ' ' | '-' => '-',
                _ => return None,
            };
            Some(folded)
        })
        .collect()
}

/// An index below `len`, skewed to the front: `power` 1 is uniform, higher
/// powers make the first entries (the most common names) more frequent.
pub fn skewed(rng: &mut ChaCha8Rng, len: usize, power: f64) -> usize {
    let u: f64 = rng.r#gen();
    ((u.powf(power) * len as f64) as usize).min(len.saturating_sub(1))
}

/// An index drawn with the given weights.
pub fn weighted(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut ticket = rng.gen_range(0..total.max(1));
    for (index, weight) in weights.iter().enumerate() {
        if ticket < *weight {
            return index;
        }
        ticket -= weight;
    }
    weights.len() - 1
}

/// One of `items`, uniformly.
pub fn one_of<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

/// Women's first names, most common first.
pub const FEMALE_FIRST_NAMES: &[&str] = &[
    "Anna",
    "Katarzyna",
    "Maria",
    "Małgorzata",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Krystyna",
    "Magdalena",
    "Elżbieta",
    "Joanna",
    "Aleksandra",
    "Monika",
    "Zofia",
    "Teresa",
    "Danuta",
    "Natalia",
    "Karolina",
    "Marta",
    "Beata",
    "Dorota",
    "Justyna",
    "Jolanta",
    "Iwona",
    "Halina",
    "Grażyna",
    "Paulina",
    "Urszula",
    "Julia",
    "Alicja",
    "Weronika",
    "Wiktoria",
    "Jadwiga",
    "Renata",
    "Sylwia",
    "Patrycja",
    "Żaneta",
    "Emilia",
    "Oliwia",
    "Kinga",
    "Łucja",
    "Bożena",
    "Hanna",
    "Jagoda",
];

/// Men's first names, most common first.
pub const MALE_FIRST_NAMES: &[&str] = &[
    "Piotr",
    "Krzysztof",
    "Andrzej",
    "Tomasz",
    "Paweł",
    "Jan",
    "Michał",
    "Marcin",
    "Stanisław",
    "Jakub",
    "Adam",
    "Marek",
    "Łukasz",
    "Grzegorz",
    "Mateusz",
    "Wojciech",
    "Mariusz",
    "Dariusz",
    "Zbigniew",
    "Jerzy",
    "Maciej",
    "Rafał",
    "Robert",
    "Kamil",
    "Józef",
    "Szymon",
    "Bartłomiej",
    "Sławomir",
    "Przemysław",
    "Zdzisław",
    "Jarosław",
    "Henryk",
    "Ryszard",
    "Tadeusz",
    "Kazimierz",
    "Leszek",
    "Wiesław",
    "Mirosław",
    "Dominik",
    "Kacper",
    "Artur",
    "Sebastian",
    "Damian",
    "Hubert",
];

/// Surnames in their masculine form, most common first; `-ski`, `-cki`
/// and `-dzki` take `-a` for women, the others do not change.
pub const SURNAMES: &[&str] = &[
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Jankowski",
    "Mazur",
    "Kwiatkowski",
    "Krawczyk",
    "Piotrowski",
    "Grabowski",
    "Nowakowski",
    "Pawłowski",
    "Michalski",
    "Nowicki",
    "Adamczyk",
    "Dudek",
    "Zając",
    "Wieczorek",
    "Jabłoński",
    "Król",
    "Majewski",
    "Olszewski",
    "Jaworski",
    "Wróbel",
    "Malinowski",
    "Pawlak",
    "Witkowski",
    "Walczak",
    "Stępień",
    "Górski",
    "Rutkowski",
    "Michalak",
    "Sikora",
    "Ostrowski",
    "Baran",
    "Duda",
    "Szewczyk",
    "Tomaszewski",
    "Pietrzak",
    "Marciniak",
    "Wróblewski",
    "Zalewski",
    "Jakubowski",
    "Jasiński",
    "Zawadzki",
    "Sadowski",
    "Bąk",
    "Chmielewski",
    "Włodarczyk",
    "Borkowski",
    "Czarnecki",
    "Sawicki",
    "Sokołowski",
    "Urbański",
    "Kubiak",
    "Maciejewski",
    "Szczepański",
    "Kucharski",
    "Wilk",
    "Kalinowski",
    "Lis",
    "Mazurek",
    "Wysocki",
    "Adamski",
    "Kaźmierczak",
    "Wasilewski",
    "Sobczak",
    "Czerwiński",
    "Andrzejewski",
    "Cieślak",
    "Głowacki",
    "Zakrzewski",
    "Kołodziej",
    "Sikorski",
    "Krajewski",
    "Gajewski",
    "Szymczak",
    "Szulc",
    "Baranowski",
    "Laskowski",
    "Brzeziński",
    "Makowski",
    "Ziółkowski",
    "Przybylski",
    "Domański",
    "Nowacki",
    "Borowski",
    "Błaszczyk",
    "Chojnacki",
    "Ciesielski",
    "Mróz",
    "Szczepaniak",
    "Wesołowski",
    "Górecki",
    "Krupa",
    "Kaczmarczyk",
    "Leśniak",
    "Kowalewski",
    "Żak",
    "Kaczmarek",
    "Grzelak",
    "Kubacki",
];

/// A surname in the form that agrees with the person's gender.
pub fn surname(base: &str, female: bool) -> String {
    let adjectival = ["ski", "cki", "dzki"].iter().any(|suffix| base.ends_with(suffix));
    match base.strip_suffix('i') {
        Some(stem) if female && adjectival => format!("{stem}a"),
        _ => base.to_owned(),
    }
}

/// A city with its locative (for "w Krakowie") and landline area code.
#[derive(Debug, Clone, Copy)]
pub struct City {
    pub name: &'static str,
    /// The preposition and locative: "w Krakowie", "we Wrocławiu".
    pub in_city: &'static str,
    pub area_code: &'static str,
}

pub const CITIES: &[City] = &[
    City {
        name: "Warszawa",
        in_city: "w Warszawie",
        area_code: "22",
    },
    City {
        name: "Kraków",
        in_city: "w Krakowie",
        area_code: "12",
    },
    City {
        name: "Łódź",
        in_city: "w Łodzi",
        area_code: "42",
    },
    City {
        name: "Wrocław",
        in_city: "we Wrocławiu",
        area_code: "71",
    },
    City {
        name: "Poznań",
        in_city: "w Poznaniu",
        area_code: "61",
    },
    City {
        name: "Gdańsk",
        in_city: "w Gdańsku",
        area_code: "58",
    },
    City {
        name: "Szczecin",
        in_city: "w Szczecinie",
        area_code: "91",
    },
    City {
        name: "Bydgoszcz",
        in_city: "w Bydgoszczy",
        area_code: "52",
    },
    City {
        name: "Lublin",
        in_city: "w Lublinie",
        area_code: "81",
    },
    City {
        name: "Białystok",
        in_city: "w Białymstoku",
        area_code: "85",
    },
    City {
        name: "Katowice",
        in_city: "w Katowicach",
        area_code: "32",
    },
    City {
        name: "Gdynia",
        in_city: "w Gdyni",
        area_code: "58",
    },
    City {
        name: "Częstochowa",
        in_city: "w Częstochowie",
        area_code: "34",
    },
    City {
        name: "Radom",
        in_city: "w Radomiu",
        area_code: "48",
    },
    City {
        name: "Toruń",
        in_city: "w Toruniu",
        area_code: "56",
    },
    City {
        name: "Rzeszów",
        in_city: "w Rzeszowie",
        area_code: "17",
    },
    City {
        name: "Kielce",
        in_city: "w Kielcach",
        area_code: "41",
    },
    City {
        name: "Gliwice",
        in_city: "w Gliwicach",
        area_code: "32",
    },
    City {
        name: "Olsztyn",
        in_city: "w Olsztynie",
        area_code: "89",
    },
    City {
        name: "Zielona Góra",
        in_city: "w Zielonej Górze",
        area_code: "68",
    },
    City {
        name: "Opole",
        in_city: "w Opolu",
        area_code: "77",
    },
    City {
        name: "Bielsko-Biała",
        in_city: "w Bielsku-Białej",
        area_code: "33",
    },
    City {
        name: "Płock",
        in_city: "w Płocku",
        area_code: "24",
    },
    City {
        name: "Elbląg",
        in_city: "w Elblągu",
        area_code: "55",
    },
    City {
        name: "Tarnów",
        in_city: "w Tarnowie",
        area_code: "14",
    },
    City {
        name: "Koszalin",
        in_city: "w Koszalinie",
        area_code: "94",
    },
    City {
        name: "Kalisz",
        in_city: "w Kaliszu",
        area_code: "62",
    },
    City {
        name: "Nowy Sącz",
        in_city: "w Nowym Sączu",
        area_code: "18",
    },
];

/// First parts of made-up company names.
const STEM_HEADS: &[&str] = &[
    "Tech", "Pol", "Agro", "Bud", "Trans", "Elektro", "Med", "Eko", "Info", "Inter", "Stal", "Drew", "Farm",
    "Chem", "Auto", "Mar", "Energo", "Hydro", "Term", "Geo", "Opto", "Net", "Data", "Logi", "Kom", "Mega",
    "Uni", "Pro", "Euro", "Metal", "Budo", "Rol", "Las", "Wod", "Gaz", "Kabel", "Mebl", "Sol", "Wtór",
];

/// Second parts of made-up company names.
const STEM_TAILS: &[&str] = &[
    "met", "pol", "bud", "ex", "tech", "max", "trans", "mex", "rol", "sped", "tel", "kom", "plast", "gaz",
    "soft", "serwis", "lab", "med", "chem", "sys", "net", "mar", "dom", "stal", "bis", "pak", "wit", "gum",
    "hurt", "instal",
];

/// Small businesses named after their owner: (kind, web-address word).
const TRADES: &[(&str, &str)] = &[
    ("Zakład Stolarski", "stolarstwo"),
    ("Biuro Rachunkowe", "rachunkowe"),
    ("Kancelaria Prawna", "kancelaria"),
    ("Hurtownia Budowlana", "hurtownia"),
    ("Drukarnia", "drukarnia"),
    ("Piekarnia", "piekarnia"),
    ("Klinika Stomatologiczna", "stomatologia"),
    ("Warsztat Samochodowy", "autoserwis"),
    ("Studio Projektowe", "studio"),
    ("Gabinet Fizjoterapii", "fizjo"),
];

/// A made-up company with its web domain and seat.
#[derive(Debug, Clone)]
pub struct Company {
    pub name: String,
    pub domain: String,
    pub city: usize,
    /// Hashes of the e-mail local parts already given out at this company.
    pub used_locals: Vec<u64>,
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A Polish-looking company name, e.g. "Techmet S.A.", "Agro-Pol sp.j.",
/// "Kowalski i Wspólnicy sp. z o.o.".
pub fn company(rng: &mut ChaCha8Rng) -> Company {
    let head = *one_of(rng, STEM_HEADS);
    let tail = *one_of(rng, STEM_TAILS);
    let stem = format!("{head}{tail}");
    let city_index = skewed(rng, CITIES.len(), 1.6);
    let city = CITIES[city_index];
    let owner = SURNAMES[skewed(rng, SURNAMES.len(), 1.4)];
    let (name, domain) = match weighted(rng, &[30, 9, 10, 7, 12, 6, 5, 6, 15]) {
        0 => (format!("{stem} sp. z o.o."), format!("{}.pl", ascii_fold(&stem))),
        1 => (format!("{stem} S.A."), format!("{}.com.pl", ascii_fold(&stem))),
        2 => (
            format!("{head}-{} sp.j.", capitalised(tail)),
            format!("{}-{}.pl", ascii_fold(head), ascii_fold(tail)),
        ),
        3 => (
            format!("{owner} i Wspólnicy sp. z o.o."),
            format!("{}-wspolnicy.pl", ascii_fold(owner)),
        ),
        4 => (
            format!("{stem} {} sp. z o.o.", city.name),
            format!("{}-{}.pl", ascii_fold(&stem), ascii_fold(city.name)),
        ),
        5 => {
            let first = MALE_FIRST_NAMES[skewed(rng, MALE_FIRST_NAMES.len(), 1.5)];
            (
                format!("P.H.U. {stem} {first} {owner}"),
                format!("phu-{}.pl", ascii_fold(&stem)),
            )
        }
        6 => {
            let partner = SURNAMES[skewed(rng, SURNAMES.len(), 1.4)];
            (
                format!("{owner} & {partner} sp.k."),
                format!("{}-{}.pl", ascii_fold(owner), ascii_fold(partner)),
            )
        }
        7 => (
            format!("{stem} Polska sp. z o.o."),
            format!("{}.com.pl", ascii_fold(&stem)),
        ),
        _ => {
            let (trade, word) = *one_of(rng, TRADES);
            let female = rng.gen_bool(0.4);
            let owner = surname(owner, female);
            (
                format!("{trade} {owner}"),
                format!("{word}-{}.pl", ascii_fold(&owner)),
            )
        }
    };
    Company {
        name,
        domain,
        city: city_index,
        used_locals: Vec::new(),
    }
}

/// Where private people keep their mail, with their shares.
pub const FREEMAIL_DOMAINS: &[&str] = &["gmail.com", "wp.pl", "onet.pl", "o2.pl", "interia.pl"];
pub const FREEMAIL_WEIGHTS: &[u32] = &[40, 20, 15, 12, 13];

/// The first three digits of Polish mobile numbers.
const MOBILE_BLOCKS: &[&str] = &[
    "50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88",
];

/// A Polish mobile number, mostly written `+48 601 234 567`.
pub fn mobile_phone(rng: &mut ChaCha8Rng) -> String {
    let block = *one_of(rng, MOBILE_BLOCKS);
    let third = rng.gen_range(0..10);
    let rest = rng.gen_range(0..1_000_000u32);
    let (a, b) = (rest / 1000, rest % 1000);
    match weighted(rng, &[80, 14, 6]) {
        0 => format!("+48 {block}{third} {a:03} {b:03}"),
        1 => format!("{block}{third} {a:03} {b:03}"),
        _ => format!("{block}{third}-{a:03}-{b:03}"),
    }
}

/// A company's landline: `+48 22 123 45 67`.
pub fn landline(rng: &mut ChaCha8Rng, city: &City) -> String {
    let number = rng.gen_range(2_000_000..9_000_000u32);
    format!(
        "+48 {} {:03} {:02} {:02}",
        city.area_code,
        number / 10_000,
        number / 100 % 100,
        number % 100
    )
}

/// A stable hash of an e-mail local part (FNV-1a), for duplicate checks.
pub fn local_hash(local: &str) -> u64 {
    local.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
    })
}

const GOODS: &[&str] = &[
    "laptopów",
    "monitorów",
    "drukarek wielofunkcyjnych",
    "wózków widłowych",
    "regałów magazynowych",
    "krzeseł biurowych",
    "kas fiskalnych",
    "terminali płatniczych",
    "telefonów służbowych",
    "tabletów",
    "kamer IP",
    "palet EUR",
    "opon ciężarowych",
    "odzieży roboczej",
];
const FACILITIES: &[&str] = &[
    "hali produkcyjnej",
    "biura",
    "magazynu",
    "serwerowni",
    "oświetlenia",
    "instalacji elektrycznej",
    "systemu wentylacji",
    "kotłowni",
];
const AUDITS: &[&str] = &[
    "bezpieczeństwa IT",
    "energetyczny budynku",
    "zgodności z RODO",
    "BHP",
    "infrastruktury sieciowej",
    "procesów magazynowych",
];
const TRAININGS: &[&str] = &[
    "z obsługi CRM",
    "sprzedażowe",
    "z cyberbezpieczeństwa",
    "z Excela",
    "z negocjacji",
    "z obsługi klienta",
];
const LEASES: &[&str] = &[
    "wózków widłowych",
    "serwera i macierzy",
    "samochodów dostawczych",
    "sprzętu IT",
    "maszyn rolniczych",
];
const SUBSCRIPTIONS: &[&str] = &[
    "hosting",
    "monitoring floty",
    "wsparcie techniczne 24/7",
    "kopie zapasowe w chmurze",
    "obsługę BHP",
    "sprzątanie biura",
];
const SOFTWARE: &[&str] = &[
    "Microsoft 365",
    "AutoCAD",
    "Adobe Creative Cloud",
    "program antywirusowy",
    "system kopii zapasowych",
    "program księgowy",
];
const MACHINES: &[&str] = &[
    "maszyn CNC",
    "wózków widłowych",
    "agregatów prądotwórczych",
    "central wentylacyjnych",
    "klimatyzatorów",
    "wind",
];
const INTEGRATIONS: &[&str] = &[
    "sklepem internetowym",
    "systemem magazynowym",
    "bankowością elektroniczną",
    "KSeF",
    "platformą kurierską",
];
const INSURANCES: &[&str] = &[
    "floty pojazdów",
    "majątku firmy",
    "OC działalności",
    "grupowe pracowników",
];
const WORKSTATIONS: &[u32] = &[5, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 75, 100, 150, 200];
const QUANTITIES: &[u32] = &[2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 50, 100];
const PEOPLE: &[u32] = &[6, 8, 10, 12, 15, 20, 25, 30, 40, 60, 80, 120];

/// " w Krakowie" for some subjects, "" for the others.
fn maybe_in_city(rng: &mut ChaCha8Rng, city: &City) -> String {
    if rng.gen_bool(0.4) {
        format!(" {}", city.in_city)
    } else {
        String::new()
    }
}

/// A case subject in Polish, from one of the templates.
pub fn subject(rng: &mut ChaCha8Rng, city: &City, next_year: i32) -> String {
    match rng.gen_range(0..24) {
        0 => format!("Wdrożenie CRM dla {} stanowisk", one_of(rng, WORKSTATIONS)),
        1 => format!("Oferta na serwis klimatyzacji{}", maybe_in_city(rng, city)),
        2 => format!("Zapytanie o licencje roczne – {}", one_of(rng, SOFTWARE)),
        3 => format!(
            "Dostawa {} – {} szt.",
            one_of(rng, GOODS),
            one_of(rng, QUANTITIES)
        ),
        4 => format!(
            "Modernizacja {}{}",
            one_of(rng, FACILITIES),
            maybe_in_city(rng, city)
        ),
        5 => format!("Audyt {}", one_of(rng, AUDITS)),
        6 => format!(
            "Szkolenie {} dla {} osób",
            one_of(rng, TRAININGS),
            one_of(rng, PEOPLE)
        ),
        7 => format!("Leasing {}", one_of(rng, LEASES)),
        8 => format!("Przedłużenie umowy serwisowej na {next_year} r."),
        9 => format!("Zapytanie ofertowe – dostawa {}", one_of(rng, GOODS)),
        10 => format!("Rozbudowa sieci LAN{}", maybe_in_city(rng, city)),
        11 => format!("Abonament na {}", one_of(rng, SUBSCRIPTIONS)),
        12 => format!("Wycena {} ({} szt.)", one_of(rng, GOODS), one_of(rng, QUANTITIES)),
        13 => format!(
            "Montaż instalacji fotowoltaicznej {} kWp",
            one_of(rng, &[10, 15, 20, 30, 50, 80, 100, 150])
        ),
        14 => format!("Stała obsługa IT dla {} stanowisk", one_of(rng, WORKSTATIONS)),
        15 => format!("Catering na konferencję dla {} osób", one_of(rng, PEOPLE)),
        16 => format!("Meble do nowego biura{}", maybe_in_city(rng, city)),
        17 => format!("Przegląd techniczny {}", one_of(rng, MACHINES)),
        18 => "Nowa strona internetowa ze sklepem".to_owned(),
        19 => format!("Integracja systemu ERP z {}", one_of(rng, INTEGRATIONS)),
        20 => format!("Ubezpieczenie {}", one_of(rng, INSURANCES)),
        21 => format!(
            "Wynajem powierzchni magazynowej {} m²{}",
            one_of(rng, &[200, 350, 500, 800, 1200, 2500]),
            maybe_in_city(rng, city)
        ),
        22 => format!(
            "Zapytanie o licencje roczne ({} użytkowników)",
            one_of(rng, WORKSTATIONS)
        ),
        _ => format!(
            "Tłumaczenie dokumentacji technicznej ({} stron)",
            one_of(rng, &[20, 40, 60, 120, 300])
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lejek_domain::{CompanyName, Email, Phone, Subject};
    use rand::SeedableRng;

    #[test]
    fn folding_drops_polish_marks_and_lower_cases() {
        assert_eq!(ascii_fold("Łódź"), "lodz");
        assert_eq!(ascii_fold("Bielsko-Biała"), "bielsko-biala");
        assert_eq!(ascii_fold("Zielona Góra"), "zielona-gora");
        assert_eq!(ascii_fold("ŻÓŁĆ Ęą Śń Ź"), "zolc-ea-sn-z");
    }

    #[test]
    fn surnames_agree_with_gender() {
        assert_eq!(surname("Kowalski", true), "Kowalska");
        assert_eq!(surname("Kowalski", false), "Kowalski");
        assert_eq!(surname("Nowicki", true), "Nowicka");
        assert_eq!(surname("Zawadzki", true), "Zawadzka");
        assert_eq!(surname("Nowak", true), "Nowak");
        assert_eq!(surname("Zając", true), "Zając");
    }

    #[test]
    fn names_fold_to_distinct_logins() {
        for list in [FEMALE_FIRST_NAMES, MALE_FIRST_NAMES, SURNAMES] {
            let mut folded: Vec<String> = list.iter().map(|name| ascii_fold(name)).collect();
            folded.sort();
            let before = folded.len();
            folded.dedup();
            assert_eq!(folded.len(), before);
        }
        let mut all: Vec<String> = FEMALE_FIRST_NAMES
            .iter()
            .chain(MALE_FIRST_NAMES)
            .map(|name| ascii_fold(name))
            .collect();
        all.sort();
        let before = all.len();
        all.dedup();
        assert_eq!(all.len(), before);
    }

    #[test]
    fn generated_values_pass_the_domain_rules() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..2_000 {
            let company = company(&mut rng);
            CompanyName::parse(&company.name).unwrap();
            Email::parse(&format!("jan.kowalski@{}", company.domain)).unwrap();
            let phone = mobile_phone(&mut rng);
            assert!(Phone::parse(&phone).is_ok(), "{phone}");
            let landline = landline(&mut rng, &CITIES[company.city]);
            assert!(Phone::parse(&landline).is_ok(), "{landline}");
            let subject = subject(&mut rng, &CITIES[company.city], 2027);
            Subject::parse(&subject).unwrap();
        }
    }

    #[test]
    fn phones_look_polish() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let phone = (0..50)
            .map(|_| mobile_phone(&mut rng))
            .find(|phone| phone.starts_with("+48"))
            .unwrap();
        assert_eq!(phone.len(), "+48 601 234 567".len());
        assert_eq!(lejek_domain::digits_of(&phone).len(), 11);
    }
}
