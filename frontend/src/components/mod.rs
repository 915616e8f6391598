//! Reusable pieces of the screens, one component per file.

pub mod case_details;
pub mod case_list;
pub mod case_table;
pub mod choice_filter;
pub mod column_chooser;
pub mod contact_form;
pub mod date_range;
pub mod empty_state;
pub mod error_note;
pub mod field;
pub mod filter_bar;
pub mod header;
pub mod language_switch;
pub mod loading;
pub mod multi_select;
pub mod notes;
pub mod owner_picker;
pub mod popover;
pub mod row_height_picker;
pub mod status_badge;
pub mod tabs;
pub mod text_filter;
pub mod timeline;
pub mod toasts;
pub mod transition_form;
