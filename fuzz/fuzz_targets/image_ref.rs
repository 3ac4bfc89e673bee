#![no_main]
//! Fuzz target `image_ref`: see `wincompat_fuzz::image_ref` in `fuzz/src/lib.rs`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wincompat_fuzz::image_ref(data);
});
