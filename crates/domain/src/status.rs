//! The five statuses of the funnel and the stages within them (spec section 3).

use crate::wire::wire_enum;

wire_enum! {
    /// Where a case stands in the funnel.
    pub enum Status {
        /// The initial status of every new case.
        AwaitingPickup => "awaiting_pickup", "Oczekujący na podjęcie", "Awaiting pickup";
        InAcquisition => "in_acquisition", "W trakcie pozyskania", "In acquisition";
        Offered => "offered", "Zaofertowany", "Offered";
        /// Closed, lost.
        Resigned => "resigned", "Rezygnacja", "Resigned";
        /// Closed, won.
        Acquired => "acquired", "Pozyskany", "Acquired";
    }
}

wire_enum! {
    /// The finer step within a status that has stages.
    pub enum Stage {
        CallScheduled => "call_scheduled", "Umówiony na telco", "Call scheduled";
        AfterCallMeeting => "after_call_meeting", "Po telco – spotkanie", "After call – meeting";
        ToOffer => "to_offer", "Do zaofertowania", "To be offered";
        InNegotiation => "in_negotiation", "W trakcie negocjacji", "In negotiation";
        ContractSent => "contract_sent", "Umowa wysłana", "Contract sent";
    }
}

impl Status {
    /// The status every new case starts in, whatever path creates it.
    pub const INITIAL: Status = Status::AwaitingPickup;

    /// The first three statuses: the case is still being worked on.
    pub const fn is_open(self) -> bool {
        matches!(
            self,
            Status::AwaitingPickup | Status::InAcquisition | Status::Offered
        )
    }

    /// Resigned or acquired: only a manager may reopen it.
    pub const fn is_closed(self) -> bool {
        !self.is_open()
    }

    /// The stages of this status; empty when the status has none, in which
    /// case a stage is forbidden, otherwise one of them is required.
    pub const fn stages(self) -> &'static [Stage] {
        match self {
            Status::InAcquisition => &[Stage::CallScheduled, Stage::AfterCallMeeting, Stage::ToOffer],
            Status::Offered => &[Stage::InNegotiation, Stage::ContractSent],
            Status::AwaitingPickup | Status::Resigned | Status::Acquired => &[],
        }
    }

    pub const fn requires_stage(self) -> bool {
        !self.stages().is_empty()
    }

    pub const fn requires_follow_up(self) -> bool {
        matches!(self, Status::Offered)
    }

    pub const fn requires_resignation_reason(self) -> bool {
        matches!(self, Status::Resigned)
    }
}

impl Stage {
    /// The one status this stage belongs to.
    pub const fn status(self) -> Status {
        match self {
            Stage::CallScheduled | Stage::AfterCallMeeting | Stage::ToOffer => Status::InAcquisition,
            Stage::InNegotiation | Stage::ContractSent => Status::Offered,
        }
    }

    pub const fn belongs_to(self, status: Status) -> bool {
        self.status() as u8 == status as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Language;

    #[test]
    fn a_new_case_starts_awaiting_pickup() {
        assert_eq!(Status::INITIAL, Status::AwaitingPickup);
    }

    #[test]
    fn the_first_three_statuses_are_open_and_the_last_two_closed() {
        let open: Vec<_> = Status::ALL.iter().filter(|s| s.is_open()).collect();
        assert_eq!(
            open,
            [&Status::AwaitingPickup, &Status::InAcquisition, &Status::Offered]
        );
        assert!(Status::Resigned.is_closed());
        assert!(Status::Acquired.is_closed());
    }

    #[test]
    fn in_acquisition_has_the_three_acquisition_stages() {
        assert_eq!(
            Status::InAcquisition.stages(),
            [Stage::CallScheduled, Stage::AfterCallMeeting, Stage::ToOffer]
        );
    }

    #[test]
    fn offered_has_the_negotiation_and_contract_stages() {
        assert_eq!(
            Status::Offered.stages(),
            [Stage::InNegotiation, Stage::ContractSent]
        );
    }

    #[test]
    fn awaiting_pickup_resigned_and_acquired_have_no_stages() {
        for status in [Status::AwaitingPickup, Status::Resigned, Status::Acquired] {
            assert!(status.stages().is_empty(), "{status}");
            assert!(!status.requires_stage(), "{status}");
        }
    }

    #[test]
    fn every_stage_belongs_to_exactly_the_status_that_lists_it() {
        for stage in Stage::ALL {
            let owners: Vec<_> = Status::ALL
                .iter()
                .filter(|status| status.stages().contains(stage))
                .collect();
            assert_eq!(owners, [&stage.status()]);
            for status in Status::ALL {
                assert_eq!(stage.belongs_to(*status), status == &stage.status());
            }
        }
    }

    #[test]
    fn only_offered_requires_a_follow_up_date() {
        for status in Status::ALL {
            assert_eq!(status.requires_follow_up(), *status == Status::Offered);
        }
    }

    #[test]
    fn only_resigned_requires_a_resignation_reason() {
        for status in Status::ALL {
            assert_eq!(status.requires_resignation_reason(), *status == Status::Resigned);
        }
    }

    #[test]
    fn statuses_and_stages_keep_their_wire_codes_through_json() {
        let json = serde_json::to_string(&[Status::AwaitingPickup, Status::Acquired]).unwrap();
        assert_eq!(json, r#"["awaiting_pickup","acquired"]"#);
        let stage: Stage = serde_json::from_str(r#""after_call_meeting""#).unwrap();
        assert_eq!(stage, Stage::AfterCallMeeting);
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>(), Ok(*status));
        }
        assert!("won".parse::<Status>().is_err());
    }

    #[test]
    fn every_status_and_stage_has_the_polish_label_of_the_article() {
        assert_eq!(
            Status::AwaitingPickup.label(Language::Pl),
            "Oczekujący na podjęcie"
        );
        assert_eq!(Status::Offered.label(Language::Pl), "Zaofertowany");
        assert_eq!(Stage::ContractSent.label(Language::Pl), "Umowa wysłana");
        assert_eq!(Stage::ToOffer.label(Language::En), "To be offered");
    }
}
