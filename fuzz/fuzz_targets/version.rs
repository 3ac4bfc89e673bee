#![no_main]
//! Fuzz target `version`: see `wincompat_fuzz::version` in `fuzz/src/lib.rs`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wincompat_fuzz::version(data);
});
