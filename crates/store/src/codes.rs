//! Statuses, stages and sources are stored as small integers. Each variant
//! has its number written here once and for all, in funnel order so that
//! sorting on the column follows the funnel. The numbers are data: reordering
//! or adding variants in the domain never changes what a stored row means.

use lejek_domain::{Source, Stage, Status};

use crate::error::StoreError;

/// A funnel enum as the database stores it.
pub trait StoredCode: Copy + PartialEq + 'static {
    /// What a bad stored value is reported as.
    const WHAT: &'static str;
    /// Every variant.
    const VARIANTS: &'static [Self];

    /// The number stored for this variant.
    fn stored(self) -> i16;

    /// The variant a stored number means.
    fn from_stored(code: i16) -> Result<Self, StoreError> {
        Self::VARIANTS
            .iter()
            .copied()
            .find(|variant| variant.stored() == code)
            .ok_or(StoreError::Corrupt(Self::WHAT))
    }
}

impl StoredCode for Status {
    const WHAT: &'static str = "status";
    const VARIANTS: &'static [Self] = Status::ALL;

    fn stored(self) -> i16 {
        match self {
            Status::AwaitingPickup => 1,
            Status::InAcquisition => 2,
            Status::Offered => 3,
            Status::Resigned => 4,
            Status::Acquired => 5,
        }
    }
}

impl StoredCode for Stage {
    const WHAT: &'static str = "stage";
    const VARIANTS: &'static [Self] = Stage::ALL;

    fn stored(self) -> i16 {
        match self {
            Stage::CallScheduled => 1,
            Stage::AfterCallMeeting => 2,
            Stage::ToOffer => 3,
            Stage::InNegotiation => 4,
            Stage::ContractSent => 5,
        }
    }
}

impl StoredCode for Source {
    const WHAT: &'static str = "source";
    const VARIANTS: &'static [Self] = Source::ALL;

    fn stored(self) -> i16 {
        match self {
            Source::DirectVisit => 1,
            Source::ContactForm => 2,
            Source::Phone => 3,
            Source::Email => 4,
            Source::Livecall => 5,
            Source::Chat => 6,
            Source::SocialMedia => 7,
            Source::Partner => 8,
        }
    }
}

pub fn status_code(status: Status) -> i16 {
    status.stored()
}
pub fn stage_code(stage: Stage) -> i16 {
    stage.stored()
}
pub fn source_code(source: Source) -> i16 {
    source.stored()
}
pub fn status_of(code: i16) -> Result<Status, StoreError> {
    Status::from_stored(code)
}
pub fn stage_of(code: i16) -> Result<Stage, StoreError> {
    Stage::from_stored(code)
}
pub fn source_of(code: i16) -> Result<Source, StoreError> {
    Source::from_stored(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips_and_is_unique<T: StoredCode + std::fmt::Debug>() {
        for variant in T::VARIANTS {
            assert_eq!(T::from_stored(variant.stored()).unwrap(), *variant);
        }
        let mut codes: Vec<i16> = T::VARIANTS.iter().map(|v| v.stored()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), T::VARIANTS.len(), "{} codes repeat", T::WHAT);
    }

    #[test]
    fn every_stored_code_is_unique_and_reads_back() {
        round_trips_and_is_unique::<Status>();
        round_trips_and_is_unique::<Stage>();
        round_trips_and_is_unique::<Source>();
        assert!(status_of(0).is_err() && status_of(6).is_err());
    }

    #[test]
    fn stored_codes_are_the_ones_the_schema_checks() {
        // The schema's CHECK constraints and existing rows use these numbers.
        assert_eq!(status_code(Status::AwaitingPickup), 1);
        assert_eq!(status_code(Status::Offered), 3);
        assert_eq!(status_code(Status::Acquired), 5);
        assert_eq!(stage_code(Stage::CallScheduled), 1);
        assert_eq!(stage_code(Stage::InNegotiation), 4);
        assert_eq!(stage_code(Stage::ContractSent), 5);
        assert_eq!(source_code(Source::DirectVisit), 1);
        assert_eq!(source_code(Source::Partner), 8);
    }
}
