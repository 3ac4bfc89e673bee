#![no_main]
//! Fuzz target `parse_text`: see `wincompat_fuzz::parse_text` in `fuzz/src/lib.rs`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wincompat_fuzz::parse_text(data);
});
