//! Statuses, stages and sources are stored as small integers in funnel
//! order, so sorting on them follows the funnel; this is the one mapping.

use lejek_domain::{Source, Stage, Status};

use crate::error::StoreError;

/// Position in `ALL`, from 1.
fn rank<T: PartialEq>(all: &[T], value: &T) -> i16 {
    all.iter()
        .position(|item| item == value)
        .map_or(0, |index| index as i16 + 1)
}

fn from_rank<T: Copy>(all: &[T], rank: i16, what: &'static str) -> Result<T, StoreError> {
    usize::try_from(rank - 1)
        .ok()
        .and_then(|index| all.get(index).copied())
        .ok_or(StoreError::Corrupt(what))
}

pub fn status_code(status: Status) -> i16 {
    rank(Status::ALL, &status)
}
pub fn stage_code(stage: Stage) -> i16 {
    rank(Stage::ALL, &stage)
}
pub fn source_code(source: Source) -> i16 {
    rank(Source::ALL, &source)
}
pub fn status_of(code: i16) -> Result<Status, StoreError> {
    from_rank(Status::ALL, code, "status")
}
pub fn stage_of(code: i16) -> Result<Stage, StoreError> {
    from_rank(Stage::ALL, code, "stage")
}
pub fn source_of(code: i16) -> Result<Source, StoreError> {
    from_rank(Source::ALL, code, "source")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_funnel_order_the_schema_checks() {
        assert_eq!(status_code(Status::AwaitingPickup), 1);
        assert_eq!(status_code(Status::Acquired), 5);
        assert_eq!(stage_code(Stage::CallScheduled), 1);
        assert_eq!(stage_code(Stage::ContractSent), 5);
        assert_eq!(source_code(Source::Partner), 8);
        for status in Status::ALL {
            assert_eq!(status_of(status_code(*status)).unwrap(), *status);
        }
        assert!(status_of(0).is_err() && status_of(6).is_err());
    }
}
