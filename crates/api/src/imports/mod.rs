//! File imports run as jobs: reading an uploaded file, deciding each row
//! through the same rules as a case typed in, and the worker that commits
//! them batch by batch.

pub mod reading;
pub mod report;
pub mod rows;
pub mod worker;
