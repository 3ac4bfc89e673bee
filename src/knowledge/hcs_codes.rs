//! HCS (and look-alike Win32) error codes and messages, facts.md §4.2.
//! STUB: owned by the knowledge helper; signatures are the contract.

/// `ERROR_VMCOMPUTE_IMAGE_MISMATCH` / `HCS_E_IMAGE_MISMATCH` in its 0xC037 form.
pub const IMAGE_MISMATCH: u32 = 0xC037_0101;

/// One known error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HcsCode {
    /// The code in its `0xC037xxxx` (NTSTATUS-style) form, or the Win32 value
    /// for look-alikes such as `0x57`.
    pub code: u32,
    pub hresult_name: Option<&'static str>,
    pub ntstatus_name: Option<&'static str>,
    /// Documented message.
    pub message: &'static str,
    /// Other message texts seen in the field for the same code.
    pub observed: &'static [&'static str],
    /// What it usually means for containers.
    pub meaning: &'static str,
    /// What to do.
    pub advice: &'static str,
    pub source: &'static str,
}

pub static CODES: &[HcsCode] = &[];

/// Find by numeric value (accepts both the 0xC037 and the 0x8037 form).
pub fn lookup(code: u32) -> Option<&'static HcsCode> {
    CODES.iter().find(|c| c.code == code)
}

/// Find by any textual form: `0xc0370101`, `0x80370101`, decimal, or a name.
pub fn parse_code(text: &str) -> Option<&'static HcsCode> {
    let _ = text;
    None
}

/// Find the code whose documented or observed message the text contains
/// (case-insensitive).
pub fn by_message(text: &str) -> Option<&'static HcsCode> {
    let lower = text.to_ascii_lowercase();
    CODES.iter().find(|c| {
        lower.contains(&c.message.to_ascii_lowercase())
            || c.observed
                .iter()
                .any(|o| lower.contains(&o.to_ascii_lowercase()))
    })
}
