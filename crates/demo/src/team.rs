//! The demo sales team: the same people for every seed, so the README can
//! list their logins; only the number of salespeople grows with the data.

use lejek_domain::{Actor, Role, UserId};
use lejek_store::UserRecord;

use crate::names::ascii_fold;

/// The domain of every demo login.
pub const DEMO_DOMAIN: &str = "lejek.demo";

/// The fewest and the most salespeople a demo team has.
pub const MIN_AGENTS: usize = 8;
pub const MAX_AGENTS: usize = 40;
/// One more salesperson per this many cases, between the bounds above.
pub const CASES_PER_AGENT: u64 = 25_000;

/// The administrator, the sales director and the board member.
pub const STAFF: [(&str, &str, Role); 3] = [
    ("admin", "Jolanta Kaczmarek", Role::Admin),
    ("dyrektor", "Marek Zawadzki", Role::Manager),
    ("zarzad", "Barbara Sobczak", Role::Manager),
];

/// The salespeople in hiring order; a team of `n` has the first `n`.
pub const AGENTS: [&str; MAX_AGENTS] = [
    "Anna Nowak",
    "Piotr Kowalski",
    "Katarzyna Wiśniewska",
    "Tomasz Wójcik",
    "Magdalena Kowalczyk",
    "Michał Kamiński",
    "Agnieszka Lewandowska",
    "Paweł Zieliński",
    "Joanna Szymańska",
    "Krzysztof Woźniak",
    "Monika Dąbrowska",
    "Marcin Kozłowski",
    "Aleksandra Jankowska",
    "Łukasz Mazur",
    "Ewa Kwiatkowska",
    "Jakub Krawczyk",
    "Natalia Piotrowska",
    "Grzegorz Grabowski",
    "Karolina Nowakowska",
    "Mateusz Pawłowski",
    "Justyna Michalska",
    "Rafał Nowicki",
    "Dorota Adamczyk",
    "Bartłomiej Dudek",
    "Małgorzata Zając",
    "Wojciech Wieczorek",
    "Paulina Jabłońska",
    "Adam Król",
    "Beata Majewska",
    "Kamil Olszewski",
    "Marta Jaworska",
    "Szymon Wróbel",
    "Iwona Malinowska",
    "Dariusz Pawlak",
    "Sylwia Witkowska",
    "Przemysław Walczak",
    "Weronika Stępień",
    "Sebastian Górski",
    "Żaneta Rutkowska",
    "Maciej Sikora",
];

/// How many salespeople a data set of `cases` cases gets.
pub fn agent_count(cases: u64) -> usize {
    usize::try_from(cases / CASES_PER_AGENT)
        .unwrap_or(MAX_AGENTS)
        .clamp(MIN_AGENTS, MAX_AGENTS)
}

/// A person's login: `anna.nowak@lejek.demo`.
pub fn login_for(name: &str) -> String {
    let local: Vec<String> = name.split_whitespace().map(ascii_fold).collect();
    format!("{}@{DEMO_DOMAIN}", local.join("."))
}

/// Every demo login in order: the staff, then `agents` salespeople.
pub fn logins(agents: usize) -> Vec<(String, &'static str, Role)> {
    let staff = STAFF
        .iter()
        .map(|(local, name, role)| (format!("{local}@{DEMO_DOMAIN}"), *name, *role));
    let agents = AGENTS[..agents.min(MAX_AGENTS)]
        .iter()
        .map(|name| (login_for(name), *name, Role::Agent));
    staff.chain(agents).collect()
}

/// A member of the team as the generator uses them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: UserId,
    pub name: String,
    pub role: Role,
}

impl Member {
    pub fn actor(&self) -> Actor {
        Actor::new(self.id, self.role)
    }
}

/// The team as stored: who sells and who manages.
#[derive(Debug, Clone)]
pub struct Team {
    /// The salespeople, who own cases.
    pub agents: Vec<Member>,
    /// Weights of the salespeople: some sell more than others.
    pub agent_weights: Vec<u32>,
    /// The sales director: takes in leads, assigns, moves unassigned cases.
    pub director: Member,
    /// Managers who also assign and reopen now and then (board, admin).
    pub others: Vec<Member>,
}

impl Team {
    /// Sorts the stored users by role: an existing user keeps their role,
    /// and a deactivated one takes no part.
    pub fn from_stored(users: &[UserRecord]) -> Option<Team> {
        let member = |user: &UserRecord| Member {
            id: user.id,
            name: user.name.clone(),
            role: user.role,
        };
        let active = || users.iter().filter(|user| user.active);
        let managers: Vec<Member> = active()
            .filter(|user| user.role.sees_every_case())
            .map(member)
            .collect();
        let agents: Vec<Member> = active()
            .filter(|user| user.role == Role::Agent)
            .map(member)
            .collect();
        let director = active()
            .find(|user| user.email == crate::DEMO_DIRECTOR && user.role.sees_every_case())
            .map(member)
            .or_else(|| managers.first().cloned())?;
        if agents.is_empty() {
            return None;
        }
        let others = managers.into_iter().filter(|m| m.id != director.id).collect();
        // Fixed, seed-independent performance profile: a few stars, a long tail.
        let agent_weights = (0..agents.len())
            .map(|index| 60 + ((index as u32 * 37 + 11) % 7) * 15)
            .collect();
        Some(Team {
            agents,
            agent_weights,
            director,
            others,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_ascii_folded_first_dot_last() {
        assert_eq!(login_for("Łukasz Mazur"), "lukasz.mazur@lejek.demo");
        assert_eq!(login_for("Żaneta Rutkowska"), "zaneta.rutkowska@lejek.demo");
        assert_eq!(login_for("Małgorzata Zając"), "malgorzata.zajac@lejek.demo");
    }

    #[test]
    fn the_team_grows_with_the_data_between_bounds() {
        assert_eq!(agent_count(0), 8);
        assert_eq!(agent_count(3_000), 8);
        assert_eq!(agent_count(500_000), 20);
        assert_eq!(agent_count(1_000_000), 40);
        assert_eq!(agent_count(u64::MAX), 40);
    }

    #[test]
    fn every_login_is_unique_and_a_valid_email() {
        let logins = logins(MAX_AGENTS);
        assert_eq!(logins.len(), 43);
        let mut emails: Vec<&str> = logins.iter().map(|(email, _, _)| email.as_str()).collect();
        for email in &emails {
            assert_eq!(lejek_domain::Email::parse(email).unwrap().as_str(), *email);
        }
        emails.sort_unstable();
        emails.dedup();
        assert_eq!(emails.len(), 43);
    }
}
