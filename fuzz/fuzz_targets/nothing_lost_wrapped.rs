#![no_main]
//! Fuzz target `nothing_lost_wrapped`: see `wincompat_fuzz::nothing_lost_wrapped`
//! in `fuzz/src/lib.rs`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wincompat_fuzz::nothing_lost_wrapped(data);
});
