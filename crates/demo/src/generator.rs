//! The cases, contacts and histories, generated day by day from the oldest
//! and handed out in batches. Every case goes through the domain's
//! `decide_new_case` and `decide`, and stores exactly the changes they
//! return, so the history replays to the stored state.

use std::collections::VecDeque;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use lejek_domain::{
    Actor, CampaignRef, CaseCommand, CaseId, CaseState, ContactId, Email, EventId, NewCaseCommand,
    PersonName, Phone, QualifierId, Source, Stage, Status, TransitionCommand, decide, decide_new_case,
};
use lejek_store::bulk::{Batch, CaseRow, ContactRow, EventRow, NextIds};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::DemoError;
use crate::names::{
    self, CITIES, Company, FEMALE_FIRST_NAMES, FREEMAIL_DOMAINS, FREEMAIL_WEIGHTS, MALE_FIRST_NAMES,
    SURNAMES, ascii_fold, local_hash, one_of, skewed, weighted,
};
use crate::team::{Member, Team};

/// Cases are created over this many days, the last one being today.
pub const DAYS: i64 = 365;
/// Cases per batch written in one transaction (whole days are kept together).
pub const CHUNK_CASES: usize = 10_000;
/// How many recent contacts may come back with another case.
const CONTACT_MEMORY: usize = 20_000;
/// The share of cases whose contact already had a case.
const RETURNING_CONTACT: f64 = 0.22;

/// The qualifiers of the demo dictionary, in the order their ids are passed.
pub const QUALIFIERS: [&str; 6] = ["gorący", "B2B", "B2C", "VIP", "przetarg", "partnerski"];
const HOT: usize = 0;
const B2B: usize = 1;
const B2C: usize = 2;
const VIP: usize = 3;
const TENDER: usize = 4;
const PARTNER: usize = 5;

/// The resignation reasons of the demo dictionary.
pub const RESIGNATION_REASONS: [&str; 6] = [
    "Za wysoka cena",
    "Wybrali konkurencję",
    "Brak budżetu",
    "Brak odpowiedzi",
    "Projekt wstrzymany",
    "Niedopasowanie oferty",
];

/// Shares of the sources, in `Source::ALL` order: forms, phone and e-mail lead.
const SOURCE_WEIGHTS: [u32; 8] = [6, 24, 20, 18, 7, 9, 8, 8];

/// Where a case ends up: its status and, where the status has them, stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Target {
    status: Status,
    stage: Option<Stage>,
}

/// One thing that happens to a case after it is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// A manager gives the case to the salesperson with this index.
    Assign(usize),
    ToSpam,
    FromSpam,
    Move(Status, Option<Stage>),
}

/// What decides a case's history.
#[derive(Debug, Clone, Copy)]
struct Plan {
    target: Target,
    age_days: i64,
    /// Created without an owner, assigned by a manager afterwards.
    assign_later: bool,
    /// Has an owner from creation or after the assignment.
    owned: bool,
    agent: usize,
    spam: bool,
    stays_in_spam: bool,
}

/// A contact that may come back with another case.
#[derive(Debug, Clone)]
struct Card {
    id: ContactId,
    name: String,
    company: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    city: usize,
}

/// What the generator needs from the database.
pub struct Setup {
    pub seed: u64,
    pub today: NaiveDate,
    pub cases: u64,
    pub team: Team,
    pub funnel: CampaignRef,
    pub spam: CampaignRef,
    /// Ids of [`QUALIFIERS`], in that order.
    pub qualifiers: Vec<QualifierId>,
    pub next: NextIds,
}

/// Yields the data set in batches of whole days, oldest first.
pub struct Generator {
    rng: ChaCha8Rng,
    setup: Setup,
    /// Cases per day, oldest day first.
    day_counts: Vec<u64>,
    day: usize,
    first_day: NaiveDate,
    /// No event happens after this moment (today, midday UTC).
    horizon: DateTime<Utc>,
    midnight_today: DateTime<Utc>,
    next_contact: i64,
    next_case: i64,
    next_event: i64,
    next_number: i64,
    recent_contacts: VecDeque<Card>,
    companies: Vec<Company>,
    /// Private addresses given out per (first name, surname, mail domain).
    freemail_counts: Vec<u16>,
    finished: bool,
}

/// First names per gender are indexed below this, for the e-mail counters.
const MAX_FIRST_NAMES: usize = 64;

impl Generator {
    pub fn new(setup: Setup) -> Generator {
        let mut rng = ChaCha8Rng::seed_from_u64(setup.seed);
        let company_count = usize::try_from(setup.cases / 5)
            .unwrap_or(usize::MAX)
            .clamp(40, 200_000);
        let companies = (0..company_count).map(|_| names::company(&mut rng)).collect();
        let midnight_today = setup.today.and_time(NaiveTime::MIN).and_utc();
        Generator {
            day_counts: day_counts(setup.cases, setup.today),
            day: 0,
            first_day: setup.today - Duration::days(DAYS - 1),
            horizon: midnight_today + Duration::hours(12),
            midnight_today,
            next_contact: setup.next.contact,
            next_case: setup.next.case,
            next_event: setup.next.event,
            next_number: 1,
            recent_contacts: VecDeque::with_capacity(CONTACT_MEMORY),
            companies,
            freemail_counts: vec![0; 2 * MAX_FIRST_NAMES * SURNAMES.len() * FREEMAIL_DOMAINS.len()],
            finished: false,
            rng,
            setup,
        }
    }

    /// The cases of one day, in created order.
    fn day(&mut self, batch: &mut Batch) -> Result<(), DemoError> {
        let date = self.first_day + Duration::days(self.day as i64);
        let is_today = date == self.setup.today;
        let count = self.day_counts[self.day];
        let mut seconds: Vec<i64> = (0..count)
            .map(|_| {
                if is_today {
                    // Today's leads came in this morning.
                    self.rng.gen_range(5 * 3600..11 * 3600)
                } else if self.rng.gen_bool(0.8) {
                    self.rng.gen_range(6 * 3600..16 * 3600)
                } else {
                    self.rng.gen_range(0..24 * 3600)
                }
            })
            .collect();
        seconds.sort_unstable();
        let midnight = date.and_time(NaiveTime::MIN).and_utc();
        for second in seconds {
            self.case(midnight + Duration::seconds(second), batch)?;
        }
        Ok(())
    }

    fn pick_agent(&mut self) -> usize {
        weighted(&mut self.rng, &self.setup.team.agent_weights)
    }

    /// A manager for assigning and reopening: mostly the sales director.
    fn pick_manager(&mut self) -> Member {
        let team = &self.setup.team;
        if team.others.is_empty() || self.rng.gen_bool(0.8) {
            team.director.clone()
        } else {
            one_of(&mut self.rng, &team.others).clone()
        }
    }

    fn case(&mut self, created_at: DateTime<Utc>, batch: &mut Batch) -> Result<(), DemoError> {
        let age_days = (self.setup.today - created_at.date_naive()).num_days();
        let source = Source::ALL[weighted(&mut self.rng, &SOURCE_WEIGHTS)];
        let spam = self.rng.gen_bool(0.012);
        let stays_in_spam = spam && self.rng.gen_bool(0.85);
        let target = if stays_in_spam {
            Target {
                status: Status::AwaitingPickup,
                stage: None,
            }
        } else {
            self.pick_target(age_days)
        };

        // Web leads are taken in by the director and handed out; salespeople
        // enter the leads they found themselves.
        let intake_share = match source {
            Source::ContactForm | Source::Email | Source::Chat | Source::Livecall => 0.7,
            Source::Partner => 0.4,
            _ => 0.12,
        };
        let agent = self.pick_agent();
        let intake = self.rng.gen_bool(intake_share);
        let (creator, owner, stays_unassigned) = if intake {
            let creator = self.pick_manager();
            let preassigned = self.rng.gen_bool(0.15);
            let unassigned_share = if stays_in_spam {
                0.6
            } else {
                match target.status {
                    Status::AwaitingPickup => 0.45,
                    Status::Resigned => 0.08,
                    _ => 0.0,
                }
            };
            let stays_unassigned = !preassigned && self.rng.gen_bool(unassigned_share);
            (creator, preassigned.then_some(agent), stays_unassigned)
        } else {
            (self.setup.team.agents[agent].clone(), Some(agent), false)
        };

        let (card, new_contact) = self.contact(created_at, &creator)?;
        if let Some(contact) = new_contact {
            batch.contacts.push(contact);
        }
        let next_year = self.setup.today.year() + 1;
        let subject = names::subject(&mut self.rng, &CITIES[card.city], next_year);
        let close_in = if self.rng.gen_bool(0.3) { 7..45 } else { 14..121 };
        let planned = created_at.date_naive() + Duration::days(self.rng.gen_range(close_in));
        let expected_close_date = self.replanned(planned, target.status);
        let qualifier = self.qualifier(source, card.company.is_some());
        let value_share = match target.status {
            Status::AwaitingPickup => 0.45,
            Status::InAcquisition => 0.65,
            Status::Offered => 0.95,
            Status::Resigned => 0.7,
            Status::Acquired => 0.97,
        };
        let euro = self.rng.gen_bool(0.03);
        let value = self.rng.gen_bool(value_share).then(|| self.amount(euro));

        let command = NewCaseCommand {
            subject: Some(subject),
            source: Some(source),
            expected_close_date: Some(expected_close_date),
            contact_id: Some(card.id),
            contact: None,
            qualifier_id: qualifier,
            value,
            currency: Some(if euro { "EUR" } else { "PLN" }.to_owned()),
            owner_id: owner.map(|index| self.setup.team.agents[index].id),
            external_id: None,
        };
        let new_case = decide_new_case(&creator.actor(), command, self.setup.funnel)?;
        let case_id = CaseId(self.next_case);
        self.next_case += 1;
        let first_event = batch.events.len();
        for change in new_case.changes {
            batch.events.push(EventRow {
                id: EventId(self.next_event),
                case_id,
                at: created_at,
                actor_id: Some(creator.id),
                change,
            });
            self.next_event += 1;
        }

        let steps = self.steps(Plan {
            target,
            age_days,
            assign_later: owner.is_none() && !stays_unassigned,
            owned: !stays_unassigned,
            agent,
            spam,
            stays_in_spam,
        });
        let times = self.step_times(created_at, steps.len(), target.status.is_closed());
        let last_offer = steps
            .iter()
            .rposition(|step| matches!(step, Step::Move(Status::Offered, _)))
            .filter(|_| target.status == Status::Offered);
        let mut state = new_case.state;
        let mut updated_at = created_at;
        for (index, (step, at)) in steps.into_iter().zip(times).enumerate() {
            let (actor, command) = self.command(&state, step, at, last_offer == Some(index));
            let decision = decide(&actor, &state, command, at)?;
            for change in decision.changes {
                batch.events.push(EventRow {
                    id: EventId(self.next_event),
                    case_id,
                    at,
                    actor_id: Some(actor.user_id),
                    change,
                });
                self.next_event += 1;
                updated_at = at;
            }
            state = decision.state;
        }
        let CaseState {
            owner,
            campaign,
            funnel,
        } = state;
        let owner_name = owner.and_then(|id| {
            self.setup
                .team
                .agents
                .iter()
                .find(|agent| agent.id == id)
                .map(|agent| agent.name.clone())
        });
        let number = self.next_number;
        self.next_number += 1;
        batch.cases.push(CaseRow {
            id: case_id,
            number,
            campaign_id: campaign.id,
            subject: new_case.subject.into_inner(),
            source: new_case.source,
            funnel,
            qualifier_id: new_case.qualifier_id,
            contact_id: card.id,
            owner_id: owner,
            created_by: creator.id,
            created_at,
            expected_close_date: new_case.expected_close_date,
            value_minor: new_case.value.map(|amount| amount.minor_units()),
            currency: new_case.currency,
            version: (batch.events.len() - first_event) as i64,
            updated_at,
            contact_name: card.name,
            company: card.company,
            email: card.email,
            phone: card.phone,
            owner_name,
        });
        Ok(())
    }

    /// Salespeople move an open case's expected close date on when it has
    /// passed: three in four such cases now expect to close within four
    /// months, the rest stay overdue. Derived from the case's number, not
    /// the generator's random stream, so every other value stays as it was.
    fn replanned(&self, planned: NaiveDate, status: Status) -> NaiveDate {
        if !status.is_open() || planned >= self.setup.today {
            return planned;
        }
        let hash = local_hash(&self.next_case.to_string());
        if hash.is_multiple_of(4) {
            return planned;
        }
        self.setup.today + Duration::days((hash / 4 % 120) as i64)
    }

    /// The final status by age: young cases are mostly open, old ones closed.
    fn pick_target(&mut self, age_days: i64) -> Target {
        // awaiting, in acquisition, offered, resigned, acquired
        let weights: [u32; 5] = match age_days {
            0..=1 => [66, 22, 9, 3, 0],
            2..=7 => [44, 32, 13, 8, 3],
            8..=30 => [26, 30, 22, 14, 8],
            31..=90 => [18, 23, 17, 25, 17],
            _ => [15, 19, 12, 33, 21],
        };
        let status = Status::ALL[weighted(&mut self.rng, &weights)];
        let stage = match status {
            Status::InAcquisition => {
                Some(Status::InAcquisition.stages()[weighted(&mut self.rng, &[45, 30, 25])])
            }
            Status::Offered => Some(Status::Offered.stages()[weighted(&mut self.rng, &[60, 40])]),
            _ => None,
        };
        Target { status, stage }
    }

    /// The stages a case goes through in acquisition, ending at `last`.
    fn acquisition(&mut self, last: Stage, moves: &mut Vec<(Status, Option<Stage>)>) {
        let stages = Status::InAcquisition.stages();
        let last_index = stages.iter().position(|stage| *stage == last).unwrap_or(0);
        let start = weighted(&mut self.rng, &[70, 20, 10][..=last_index]);
        moves.push((Status::InAcquisition, Some(stages[start])));
        for (index, stage) in stages.iter().enumerate().take(last_index + 1).skip(start + 1) {
            if index == last_index || self.rng.gen_bool(0.15) {
                moves.push((Status::InAcquisition, Some(*stage)));
            }
        }
    }

    fn any_acquisition(&mut self, moves: &mut Vec<(Status, Option<Stage>)>) {
        let last = Status::InAcquisition.stages()[weighted(&mut self.rng, &[25, 35, 40])];
        self.acquisition(last, moves);
    }

    /// Through acquisition (mostly) into the offer, ending at stage `last`.
    fn offer(&mut self, last: Stage, moves: &mut Vec<(Status, Option<Stage>)>) {
        if self.rng.gen_bool(0.4) {
            self.any_acquisition(moves);
        }
        if last == Stage::ContractSent && self.rng.gen_bool(0.25) {
            moves.push((Status::Offered, Some(Stage::ContractSent)));
        } else {
            moves.push((Status::Offered, Some(Stage::InNegotiation)));
            if last == Stage::ContractSent {
                moves.push((Status::Offered, Some(Stage::ContractSent)));
            }
        }
    }

    fn any_offer(&mut self, moves: &mut Vec<(Status, Option<Stage>)>) {
        let last = Status::Offered.stages()[weighted(&mut self.rng, &[55, 45])];
        self.offer(last, moves);
    }

    /// The moves from awaiting pickup to `target`.
    fn moves_to(&mut self, target: Target) -> Vec<(Status, Option<Stage>)> {
        let mut moves = Vec::new();
        match target.status {
            Status::AwaitingPickup => {}
            Status::InAcquisition => {
                self.acquisition(target.stage.unwrap_or(Stage::CallScheduled), &mut moves)
            }
            Status::Offered => self.offer(target.stage.unwrap_or(Stage::InNegotiation), &mut moves),
            Status::Acquired => {
                if self.rng.gen_bool(0.7) {
                    self.any_offer(&mut moves);
                } else {
                    self.any_acquisition(&mut moves);
                }
                moves.push((Status::Acquired, None));
            }
            Status::Resigned => {
                match weighted(&mut self.rng, &[55, 30, 15]) {
                    0 => {}
                    1 => self.any_acquisition(&mut moves),
                    _ => self.any_offer(&mut moves),
                }
                moves.push((Status::Resigned, None));
            }
        }
        moves
    }

    /// Everything that happens to a case after it is created, in order.
    fn steps(&mut self, plan: Plan) -> Vec<Step> {
        let mut steps = Vec::new();
        if plan.assign_later {
            steps.push(Step::Assign(plan.agent));
        }
        if plan.spam {
            steps.push(Step::ToSpam);
            if plan.stays_in_spam {
                return steps;
            }
            // The mistake is undone from the search view.
            steps.push(Step::FromSpam);
        }
        let mut moves = Vec::new();
        // Now and then a lost case comes back: a manager reopens it.
        let reopenable = matches!(
            plan.target.status,
            Status::InAcquisition | Status::Offered | Status::Acquired
        );
        if reopenable && plan.age_days > 45 && self.rng.gen_bool(0.03) {
            self.any_acquisition(&mut moves);
            moves.push((Status::Resigned, None));
        }
        moves.extend(self.moves_to(plan.target));
        let moves_start = steps.len();
        steps.extend(moves.into_iter().map(|(status, stage)| Step::Move(status, stage)));
        // A few cases change hands on the way.
        let agents = self.setup.team.agents.len();
        if plan.owned && agents > 1 && steps.len() > moves_start && self.rng.gen_bool(0.04) {
            let other = (plan.agent + 1 + self.rng.gen_range(0..agents - 1)) % agents;
            let at = self.rng.gen_range(moves_start..steps.len());
            steps.insert(at, Step::Assign(other));
        }
        steps
    }

    /// Strictly increasing times for `count` steps after `created_at`,
    /// all before the horizon.
    fn step_times(&mut self, created_at: DateTime<Utc>, count: usize, closes: bool) -> Vec<DateTime<Utc>> {
        if count == 0 {
            return Vec::new();
        }
        let available = (self.horizon - created_at).num_seconds().max(0);
        let wanted = if closes {
            let u: f64 = self.rng.r#gen();
            ((2.0 + 70.0 * u * u) * 86_400.0) as i64
        } else {
            let u: f64 = self.rng.r#gen();
            ((0.15 + 0.85 * u) * available as f64).min(150.0 * 86_400.0) as i64
        };
        let gap = 60 * (count as i64 + 1);
        let span = wanted.max(gap.min(available)).min(available);
        let spread = (span - gap).max(0);
        let mut fractions: Vec<f64> = (0..count).map(|_| self.rng.r#gen()).collect();
        fractions.sort_by(f64::total_cmp);
        fractions
            .into_iter()
            .enumerate()
            .map(|(index, fraction)| {
                created_at + Duration::seconds(60 * (index as i64 + 1) + (fraction * spread as f64) as i64)
            })
            .collect()
    }

    /// Who takes a step and the command they send.
    fn command(
        &mut self,
        state: &CaseState,
        step: Step,
        at: DateTime<Utc>,
        last_offer: bool,
    ) -> (Actor, CaseCommand) {
        let director = self.setup.team.director.actor();
        let owner = state
            .owner
            .and_then(|id| self.setup.team.agents.iter().find(|agent| agent.id == id))
            .map(Member::actor);
        match step {
            Step::Assign(agent) => (
                self.pick_manager().actor(),
                CaseCommand::Assign {
                    owner: Some(self.setup.team.agents[agent].id),
                },
            ),
            Step::ToSpam => (
                owner.unwrap_or(director),
                CaseCommand::ChangeCampaign { to: self.setup.spam },
            ),
            Step::FromSpam => (
                director,
                CaseCommand::ChangeCampaign {
                    to: self.setup.funnel,
                },
            ),
            Step::Move(status, stage) => {
                let actor = if state.funnel.is_closed() {
                    self.pick_manager().actor()
                } else {
                    match owner {
                        Some(owner) if self.rng.gen_bool(0.85) => owner,
                        _ => director,
                    }
                };
                let mut transition = TransitionCommand::to(status);
                transition.stage = stage;
                if status == Status::Offered {
                    transition.follow_up_at = Some(if last_offer {
                        self.final_follow_up(at)
                    } else {
                        self.follow_up_after(at)
                    });
                }
                if status == Status::Resigned {
                    let weights: [u32; 6] = match state.funnel.status() {
                        Status::AwaitingPickup => [5, 5, 10, 55, 10, 15],
                        Status::InAcquisition => [15, 20, 20, 20, 15, 10],
                        _ => [35, 30, 15, 5, 10, 5],
                    };
                    let reason = RESIGNATION_REASONS[weighted(&mut self.rng, &weights)];
                    transition = transition.with_reason(reason);
                }
                (actor, CaseCommand::Transition(transition))
            }
        }
    }

    /// A business hour a few days after `at`.
    fn follow_up_after(&mut self, at: DateTime<Utc>) -> DateTime<Utc> {
        let day = at.date_naive() + Duration::days(self.rng.gen_range(1..=7));
        day.and_time(NaiveTime::MIN).and_utc() + Duration::hours(self.rng.gen_range(7..16))
    }

    /// The follow-up of a case still in the offer: mostly within the next
    /// two weeks, some already overdue.
    fn final_follow_up(&mut self, at: DateTime<Utc>) -> DateTime<Utc> {
        let hour = Duration::hours(self.rng.gen_range(7..16));
        if self.rng.gen_bool(0.22) {
            let overdue = self.midnight_today - Duration::days(self.rng.gen_range(1..=10)) + hour;
            if overdue > at + Duration::hours(1) {
                return overdue;
            }
        }
        let mut due = self.midnight_today + Duration::days(self.rng.gen_range(0..=14)) + hour;
        while due <= at {
            due += Duration::days(1);
        }
        due
    }

    fn qualifier(&mut self, source: Source, business: bool) -> Option<QualifierId> {
        if !self.rng.gen_bool(0.4) {
            return None;
        }
        let index = if source == Source::Partner && self.rng.gen_bool(0.5) {
            PARTNER
        } else if business {
            [HOT, B2B, VIP, TENDER][weighted(&mut self.rng, &[30, 45, 10, 15])]
        } else {
            [HOT, B2C, VIP][weighted(&mut self.rng, &[35, 55, 10])]
        };
        self.setup.qualifiers.get(index).copied()
    }

    /// A deal value in PLN between 2 000 and 500 000, rounded as people
    /// round offers; in euro about a quarter of that.
    fn amount(&mut self, euro: bool) -> f64 {
        let u: f64 = self.rng.r#gen();
        let pln = (2_000f64.ln() + u * (500_000f64.ln() - 2_000f64.ln())).exp();
        let value = if euro { pln / 4.3 } else { pln };
        let step = match value {
            v if v < 10_000.0 => 100.0,
            v if v < 100_000.0 => 500.0,
            _ => 5_000.0,
        };
        ((value / step).round() * step).max(step)
    }

    /// The case's contact: often a new one, sometimes a returning one.
    fn contact(
        &mut self,
        created_at: DateTime<Utc>,
        creator: &Member,
    ) -> Result<(Card, Option<ContactRow>), DemoError> {
        if !self.recent_contacts.is_empty() && self.rng.gen_bool(RETURNING_CONTACT) {
            let back = skewed(&mut self.rng, self.recent_contacts.len(), 2.0);
            let card = self.recent_contacts[self.recent_contacts.len() - 1 - back].clone();
            return Ok((card, None));
        }
        let card = self.new_card()?;
        let row = ContactRow {
            id: card.id,
            name: card.name.clone(),
            company: card.company.clone(),
            email: card.email.clone(),
            phone: card.phone.clone(),
            created_by: Some(creator.id),
            created_at,
        };
        if self.recent_contacts.len() == CONTACT_MEMORY {
            self.recent_contacts.pop_front();
        }
        self.recent_contacts.push_back(card.clone());
        Ok((card, Some(row)))
    }

    fn new_card(&mut self) -> Result<Card, DemoError> {
        let rng = &mut self.rng;
        let female = rng.gen_bool(0.5);
        let first_names = if female {
            FEMALE_FIRST_NAMES
        } else {
            MALE_FIRST_NAMES
        };
        let first_index = skewed(rng, first_names.len().min(MAX_FIRST_NAMES), 1.4);
        let first = first_names[first_index];
        let surname_index = skewed(rng, SURNAMES.len(), 1.5);
        let last = names::surname(SURNAMES[surname_index], female);
        let name = format!("{first} {last}");
        let company_index = rng.gen_bool(0.72).then(|| skewed(rng, self.companies.len(), 2.0));
        let has_email = rng.gen_bool(if company_index.is_some() { 0.93 } else { 0.85 });
        let has_phone = !has_email || rng.gen_bool(0.85);
        let (first_ascii, last_ascii) = (ascii_fold(first), ascii_fold(&last));

        let (company, city, email) = match company_index {
            Some(index) => {
                let format = weighted(rng, &[65, 20, 10, 5]);
                let company = &mut self.companies[index];
                let email = has_email.then(|| {
                    let base = match format {
                        0 => format!("{first_ascii}.{last_ascii}"),
                        1 => format!("{}.{last_ascii}", &first_ascii[..1]),
                        2 => first_ascii.clone(),
                        _ => format!("{}{last_ascii}", &first_ascii[..1]),
                    };
                    let mut local = base.clone();
                    let mut suffix = 2;
                    while company.used_locals.contains(&local_hash(&local)) {
                        local = format!("{base}{suffix}");
                        suffix += 1;
                    }
                    company.used_locals.push(local_hash(&local));
                    format!("{local}@{}", company.domain)
                });
                (Some(company.name.clone()), company.city, email)
            }
            None => {
                let city = skewed(rng, CITIES.len(), 1.6);
                let email = has_email.then(|| {
                    let domain = weighted(rng, FREEMAIL_WEIGHTS);
                    let key = ((usize::from(female) * MAX_FIRST_NAMES + first_index) * SURNAMES.len()
                        + surname_index)
                        * FREEMAIL_DOMAINS.len()
                        + domain;
                    let count = &mut self.freemail_counts[key];
                    let local = match *count {
                        0 => format!("{first_ascii}.{last_ascii}"),
                        n => format!("{first_ascii}.{last_ascii}{}", n + 1),
                    };
                    *count = count.saturating_add(1);
                    format!("{local}@{}", FREEMAIL_DOMAINS[domain])
                });
                (None, city, email)
            }
        };
        let rng = &mut self.rng;
        let phone = has_phone.then(|| {
            if company.is_some() && rng.gen_bool(0.3) {
                names::landline(rng, &CITIES[city])
            } else {
                names::mobile_phone(rng)
            }
        });

        let name = PersonName::parse(&name)
            .map_err(|_| DemoError::invalid("contact name", &name))?
            .into_inner();
        let email = match email {
            Some(email) => Some(
                Email::parse(&email)
                    .map_err(|_| DemoError::invalid("e-mail", &email))?
                    .as_str()
                    .to_owned(),
            ),
            None => None,
        };
        let phone = match phone {
            Some(phone) => Some(
                Phone::parse(&phone)
                    .map_err(|_| DemoError::invalid("phone", &phone))?
                    .as_str()
                    .to_owned(),
            ),
            None => None,
        };
        let id = ContactId(self.next_contact);
        self.next_contact += 1;
        Ok(Card {
            id,
            name,
            company,
            email,
            phone,
            city,
        })
    }
}

impl Iterator for Generator {
    type Item = Result<Batch, DemoError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let mut batch = Batch::default();
        while self.day < self.day_counts.len() && batch.cases.len() < CHUNK_CASES {
            if let Err(error) = self.day(&mut batch) {
                self.finished = true;
                return Some(Err(error));
            }
            self.day += 1;
        }
        if batch.cases.is_empty() {
            self.finished = true;
            return None;
        }
        Some(Ok(batch))
    }
}

/// How many cases are created on each of the [`DAYS`] days ending today:
/// a growing business, quiet weekends, and a full day yesterday and today.
pub fn day_counts(cases: u64, today: NaiveDate) -> Vec<u64> {
    let weights: Vec<f64> = (0..DAYS)
        .map(|index| {
            let days_back = DAYS - 1 - index;
            let date = today - Duration::days(days_back);
            let growth = 0.55 + 0.9 * (1.0 - days_back as f64 / (DAYS - 1) as f64);
            let weekday = match date.weekday() {
                _ if days_back <= 1 => 1.3,
                Weekday::Sat => 0.35,
                Weekday::Sun => 0.25,
                _ => 1.0,
            };
            growth * weekday
        })
        .collect();
    let total: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights
        .iter()
        .map(|weight| cases as f64 * weight / total)
        .collect();
    let mut counts: Vec<u64> = exact.iter().map(|share| share.floor() as u64).collect();
    let missing = cases.saturating_sub(counts.iter().sum());
    // Largest remainders first; ties go to the more recent day.
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|a, b| {
        let (ra, rb) = (exact[*a] - exact[*a].floor(), exact[*b] - exact[*b].floor());
        rb.total_cmp(&ra).then(b.cmp(a))
    });
    for index in order.into_iter().cycle().take(missing as usize) {
        counts[index] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_gets_a_day_and_recent_days_get_more() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        for cases in [0, 1, 7, 3_000, 1_000_000] {
            let counts = day_counts(cases, today);
            assert_eq!(counts.len(), DAYS as usize);
            assert_eq!(counts.iter().sum::<u64>(), cases);
        }
        let counts = day_counts(3_000, today);
        assert!(counts[364] + counts[363] >= 20, "{:?}", &counts[360..]);
        assert!(counts[300..].iter().sum::<u64>() > counts[..65].iter().sum::<u64>());
    }
}
