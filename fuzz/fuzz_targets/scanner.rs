#![no_main]
//! Fuzz target `scanner`: see `wincompat_fuzz::scanner` in `fuzz/src/lib.rs`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wincompat_fuzz::scanner(data);
});
