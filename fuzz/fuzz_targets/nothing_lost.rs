#![no_main]
//! Fuzz target `nothing_lost`: see `wincompat_fuzz::nothing_lost` in `fuzz/src/lib.rs`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wincompat_fuzz::nothing_lost(data);
});
