//! STUB: owned by the failure-parser helper. Finds and parses the HCS
//! `extra info:` JSON at any escape depth.

use crate::model::HcsInfo;

/// Parse the extra-info blob that starts somewhere in `text` (the text after
/// `extra info:`), unescaping as needed; salvages fields when it cannot be
/// repaired (then `partial` is set).
pub fn parse_extra_info(text: &str) -> Option<HcsInfo> {
    let _ = text;
    None
}
