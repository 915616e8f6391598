//! Web forms' public side: the signed token that times a form's filling,
//! the checks that tell a bot from a person, turning a submission into a
//! lead, and the plain HTML page the embed snippet frames.

pub mod intake;
pub mod page;
pub mod token;
