#![no_main]
//! Fuzz target `hcs_json`: see `wincompat_fuzz::hcs_json` in `fuzz/src/lib.rs`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wincompat_fuzz::hcs_json(data);
});
