#![no_main]
//! Fuzz target `analysis`: see `wincompat_fuzz::analysis` in `fuzz/src/lib.rs`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wincompat_fuzz::analysis(data);
});
