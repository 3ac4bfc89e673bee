//! Micro-benchmarks of the hot paths, with bytes/s throughput (divan):
//! the literal prefilter over noise, the stream scanner, and `parse_text`
//! on a kubectl describe pod, a daemon log window and a klog window.
//!
//! `cargo bench --bench parsers` measures; `cargo test --all-targets` runs
//! each benchmark once as a smoke test (divan's test mode), which is fast.
//! The texts are built here (our own names and IDs), never read from the
//! corpus.

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use wincompat::input::stream::{self, StreamOptions};
use wincompat::parse::prefilter;

fn main() {
    divan::main();
}

/// Daemon and kubelet noise without any prefilter literal, about `len` bytes.
fn noise(len: usize) -> String {
    let mut out = String::with_capacity(len + 256);
    let mut i = 0u64;
    while out.len() < len {
        i += 1;
        if i.is_multiple_of(3) {
            out.push_str(&format!(
                "I0301 10:22:{:02}.{:06}    4312 kubelet_node_status.go:493] \"Updating node status\" node=\"akswin{:06}\"\n",
                i % 60,
                i % 1_000_000,
                i % 40
            ));
        } else {
            out.push_str(&format!(
                "time=\"2024-03-01T10:22:{:02}.{:09}Z\" level=debug msg=\"Calling GET /v1.44/containers/{:012x}/json\"\n",
                i % 60,
                i,
                i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 16
            ));
        }
    }
    out
}

const FAILURE: &str = "time=\"2024-03-01T10:22:33.000000000Z\" level=error msg=\"Handler for POST /v1.44/containers/4f2a9c/start returned error: hcs::CreateComputeSystem 4f2a9c: The container operating system does not match the host operating system.\\n(extra info: {\\\"SystemType\\\":\\\"Container\\\",\\\"Name\\\":\\\"4f2a9c\\\",\\\"Owner\\\":\\\"docker\\\"})\"\n";

const DESCRIBE_POD: &str = "Name:             web-7d9f8c6b5-x2kqp
Namespace:        shop
Node:             akswin000001/10.240.0.4
Status:           Pending
Containers:
  web:
    Container ID:
    Image:          contoso.azurecr.io/shop/web:1.4-ltsc2022
    State:          Waiting
      Reason:       ContainerCreating
    Ready:          False
    Restart Count:  0
Node-Selectors:  kubernetes.io/os=windows
Events:
  Type     Reason                  Age                From     Message
  ----     ------                  ----               ----     -------
  Warning  FailedCreatePodSandBox  2m (x12 over 5m)   kubelet  Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem 7a1c: The container operating system does not match the host operating system.: unknown
";

#[divan::bench]
fn prefilter_noise(bencher: Bencher) {
    let text = noise(1 << 20);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| prefilter::find(black_box(text.as_bytes())));
}

#[divan::bench]
fn stream_scan_noise_with_failure(bencher: Bencher) {
    let mut text = noise(1 << 20);
    text.push_str(FAILURE);
    text.push_str(&noise(1 << 16));
    let opts = StreamOptions::default();
    bencher.counter(BytesCount::of_str(&text)).bench(|| {
        let mut windows = 0usize;
        let mut reader = black_box(text.as_bytes());
        let finder = stream::Finder {
            hits: &prefilter::hits,
            max_len: prefilter::max_literal_len(),
        };
        stream::scan(&mut reader, finder, &opts, &mut |_| windows += 1).map(|s| (s.lines, windows))
    });
}

#[divan::bench]
fn parse_describe_pod(bencher: Bencher) {
    bencher.counter(BytesCount::of_str(DESCRIBE_POD)).bench(|| {
        wincompat::pipeline::parse_text("pod.txt", black_box(DESCRIBE_POD))
            .records
            .len()
    });
}

#[divan::bench]
fn parse_daemon_log_window(bencher: Bencher) {
    let mut text = noise(8 * 1024);
    text.push_str(FAILURE);
    text.push_str(&noise(16 * 1024));
    bencher.counter(BytesCount::of_str(&text)).bench(|| {
        wincompat::pipeline::parse_text("dockerd.log", black_box(&text))
            .records
            .len()
    });
}
