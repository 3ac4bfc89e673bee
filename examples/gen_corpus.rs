//! Deterministic synthetic corpus for the performance benchmark
//! (`bench/run.sh`): dockerd/containerd logrus noise and kubelet klog noise
//! in blocks, long lines, and about one failure per 10 MB in several
//! wordings and escape depths. Same seed, same bytes.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out big.log --size 1G --seed 7
//! cargo run --release --example gen_corpus -- --out clean.log --size 1G --no-failures
//! cargo run --release --example gen_corpus -- --out line.log --long-line 200M
//! cargo run --release --example gen_corpus -- --out dir/ --files 64 --size 256M
//! cargo run --release --example gen_corpus -- --literals literals.txt
//! ```
//!
//! All names, IDs and hosts are made up here; nothing is copied from a
//! real log. The failure lines follow the shapes documented in facts.md.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// splitmix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn hex(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        while s.len() < len {
            s.push_str(&format!("{:016x}", self.next()));
        }
        s.truncate(len);
        s
    }

    fn guid(&mut self) -> String {
        let h = self.hex(32);
        format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    }
}

#[derive(Default)]
struct Args {
    out: Option<PathBuf>,
    size: u64,
    seed: u64,
    failures: bool,
    long_line: Option<u64>,
    files: usize,
    literals: Option<PathBuf>,
}

fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mul) = match s.char_indices().last() {
        Some((i, 'K' | 'k')) => (&s[..i], 1u64 << 10),
        Some((i, 'M' | 'm')) => (&s[..i], 1 << 20),
        Some((i, 'G' | 'g')) => (&s[..i], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<u64>()
        .map(|n| n * mul)
        .map_err(|e| format!("size {s:?}: {e}"))
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        size: 1 << 30,
        seed: 7,
        failures: true,
        files: 1,
        ..Args::default()
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--out" => args.out = Some(PathBuf::from(val()?)),
            "--size" => args.size = parse_size(&val()?)?,
            "--seed" => args.seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--no-failures" => args.failures = false,
            "--long-line" => args.long_line = Some(parse_size(&val()?)?),
            "--files" => args.files = val()?.parse().map_err(|e| format!("--files: {e}"))?,
            "--literals" => args.literals = Some(PathBuf::from(val()?)),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("gen_corpus: {e}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> std::io::Result<()> {
    if let Some(path) = &args.literals {
        // The prefilter's literal set, one per line, for `rg -F -i -f`.
        let mut w = BufWriter::new(File::create(path)?);
        for lit in wincompat::parse::prefilter::literals() {
            writeln!(w, "{lit}")?;
        }
        w.flush()?;
    }
    let Some(out) = &args.out else {
        return Ok(());
    };
    if let Some(len) = args.long_line {
        return write_long_line(out, len, args.seed);
    }
    if args.files > 1 {
        std::fs::create_dir_all(out)?;
        let per = args.size / args.files as u64;
        for i in 0..args.files {
            let path = out.join(format!("node-{i:03}.log"));
            write_log(&path, per, args.seed.wrapping_add(i as u64), args.failures)?;
        }
        return Ok(());
    }
    write_log(out, args.size, args.seed, args.failures)
}

const FAILURE_EVERY: u64 = 10 * 1000 * 1000;

fn write_log(path: &Path, size: u64, seed: u64, failures: bool) -> std::io::Result<()> {
    let mut rng = Rng(seed);
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut clock = Clock::new(&mut rng);
    let mut written = 0u64;
    let mut next_failure = FAILURE_EVERY / 2 + rng.below(FAILURE_EVERY / 2);
    let mut line = String::with_capacity(1 << 16);
    // Daemon start-up: the host facts the analysis needs.
    for l in startup(&mut clock, &mut rng) {
        written += l.len() as u64 + 1;
        writeln!(w, "{l}")?;
    }
    let mut block_klog = false;
    let mut block_left = 0u32;
    let mut nth = 0u64;
    while written < size {
        if block_left == 0 {
            block_klog = rng.below(3) == 0;
            block_left = 5_000 + rng.below(20_000) as u32;
        }
        block_left -= 1;
        line.clear();
        clock.tick(&mut rng);
        if failures && written >= next_failure {
            failure_line(&mut line, &clock, &mut rng, nth);
            nth += 1;
            next_failure += FAILURE_EVERY / 2 + rng.below(FAILURE_EVERY);
        } else if block_klog {
            klog_noise(&mut line, &clock, &mut rng);
        } else {
            logrus_noise(&mut line, &clock, &mut rng);
        }
        written += line.len() as u64 + 1;
        w.write_all(line.as_bytes())?;
        w.write_all(b"\n")?;
    }
    w.flush()
}

/// One line of `len` bytes with a failure near its end, as a runaway
/// debug line would carry it.
fn write_long_line(path: &Path, len: u64, seed: u64) -> std::io::Result<()> {
    let mut rng = Rng(seed);
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let clock = Clock::new(&mut rng);
    writeln!(
        w,
        "time=\"{}\" level=info msg=\"Docker daemon\" commit=5d6db84 graphdriver=windowsfilter version=24.0.7",
        clock.iso()
    )?;
    let head = format!(
        "time=\"{}\" level=debug msg=\"Calling POST /v1.44/containers/create\" body=\"",
        clock.iso()
    );
    let mut fail = String::new();
    failure_line(&mut fail, &clock, &mut rng, 0);
    let fail = format!(" {fail} ");
    w.write_all(head.as_bytes())?;
    let filler = "{\\\"Env\\\":[\\\"PATH=C:\\\\\\\\Windows\\\\\\\\system32\\\"],\\\"Labels\\\":{\\\"app\\\":\\\"web\\\"}},";
    let body = len.saturating_sub(head.len() as u64 + fail.len() as u64 + 2);
    let before = body - body / 10;
    let mut n = 0u64;
    while n < before {
        w.write_all(filler.as_bytes())?;
        n += filler.len() as u64;
    }
    w.write_all(fail.as_bytes())?;
    let mut m = 0u64;
    while m < body - before {
        w.write_all(filler.as_bytes())?;
        m += filler.len() as u64;
    }
    w.write_all(b"\"\n")?;
    writeln!(
        w,
        "time=\"{}\" level=info msg=\"API listen on //./pipe/docker_engine\"",
        clock.iso()
    )?;
    w.flush()
}

struct Clock {
    secs: u64,
    micros: u64,
}

impl Clock {
    fn new(rng: &mut Rng) -> Clock {
        Clock {
            secs: 1_709_280_000 + rng.below(86_400),
            micros: 0,
        }
    }

    fn tick(&mut self, rng: &mut Rng) {
        self.micros += rng.below(40_000);
        self.secs += self.micros / 1_000_000;
        self.micros %= 1_000_000;
    }

    /// `(month, day, hh, mm, ss)` of a day in March 2024.
    fn parts(&self) -> (u64, u64, u64, u64, u64) {
        let day = (self.secs / 86_400) % 28 + 1;
        let s = self.secs % 86_400;
        (3, day, s / 3600, (s / 60) % 60, s % 60)
    }

    fn iso(&self) -> String {
        let (mo, d, h, m, s) = self.parts();
        format!(
            "2024-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}.{:06}{:03}Z",
            self.micros,
            self.micros % 997
        )
    }

    fn klog(&self, sev: char) -> String {
        let (mo, d, h, m, s) = self.parts();
        format!(
            "{sev}{mo:02}{d:02} {h:02}:{m:02}:{s:02}.{:06}    4312",
            self.micros
        )
    }
}

fn startup(clock: &mut Clock, rng: &mut Rng) -> Vec<String> {
    let mut out = Vec::new();
    let t = clock.iso();
    out.push(format!("time=\"{t}\" level=info msg=\"Starting up\""));
    out.push(format!(
        "time=\"{t}\" level=info msg=\"Windows default isolation mode: process\""
    ));
    out.push(format!(
        "time=\"{t}\" level=info msg=\"Loading containers: start.\""
    ));
    out.push(format!(
        "time=\"{t}\" level=info msg=\"Docker daemon\" commit=5d6db84 graphdriver=windowsfilter version=24.0.7"
    ));
    out.push(format!(
        "time=\"{t}\" level=info msg=\"API listen on //./pipe/docker_engine\" id={}",
        rng.hex(8)
    ));
    out
}

const VERBS: &[&str] = &["GET", "POST", "GET", "GET", "DELETE"];
const PATHS: &[&str] = &[
    "/v1.44/containers/json?all=1",
    "/v1.44/info",
    "/v1.44/images/json",
    "/_ping",
    "/v1.44/events?filters=%7B%22type%22%3A%7B%22container%22%3Atrue%7D%7D",
    "/v1.44/containers/{id}/json",
    "/v1.44/containers/{id}/stats?stream=0",
];
const PODS: &[&str] = &[
    "shop/web-7d9f8c6b5-x2kqp",
    "shop/api-5b7c9d8f4-9zt4m",
    "kube-system/kube-proxy-windows-8hq2l",
    "monitoring/node-exporter-win-4xk7d",
    "batch/report-28463210-vq8nc",
];

fn logrus_noise(line: &mut String, clock: &Clock, rng: &mut Rng) {
    let t = clock.iso();
    let id = rng.hex(64);
    match rng.below(100) {
        0..=39 => {
            let path = PATHS[rng.below(PATHS.len() as u64) as usize].replace("{id}", &id[..12]);
            let verb = VERBS[rng.below(VERBS.len() as u64) as usize];
            line.push_str(&format!(
                "time=\"{t}\" level=debug msg=\"Calling {verb} {path}\""
            ));
        }
        40..=59 => line.push_str(&format!(
            "time=\"{t}\" level=info msg=\"ignoring event\" container={id} module=libcontainerd namespace=moby topic=/tasks/delete type=\"*events.TaskDelete\""
        )),
        60..=74 => line.push_str(&format!(
            "time=\"{t}\" level=debug msg=\"attach: stdout: end\" container={id}"
        )),
        75..=84 => line.push_str(&format!(
            "{{\"level\":\"info\",\"msg\":\"shim disconnected\",\"id\":\"{id}\",\"namespace\":\"k8s.io\",\"time\":\"{t}\"}}"
        )),
        85..=97 => line.push_str(&format!(
            "time=\"{t}\" level=warning msg=\"Health check for container {id} error: context deadline exceeded\""
        )),
        _ => {
            // A long debug line: a request body logged whole (4–64 KiB).
            let len = 4_096 + rng.below(60 * 1024) as usize;
            line.push_str(&format!(
                "time=\"{t}\" level=debug msg=\"form data: {{\\\"Image\\\":\\\"contoso.azurecr.io/shop/web:1.{}\\\",\\\"Env\\\":[",
                rng.below(90)
            ));
            while line.len() < len {
                line.push_str(&format!(
                    "\\\"SETTING_{}={}\\\",",
                    rng.below(10_000),
                    rng.hex(24)
                ));
            }
            line.push_str("\\\"END=1\\\"]}\"");
        }
    }
}

fn klog_noise(line: &mut String, clock: &Clock, rng: &mut Rng) {
    let pod = PODS[rng.below(PODS.len() as u64) as usize];
    let node = format!("akswin{:06}", rng.below(40));
    match rng.below(10) {
        0..=3 => line.push_str(&format!(
            "{} kubelet_node_status.go:493] \"Updating node status\" node=\"{node}\"",
            clock.klog('I')
        )),
        4..=6 => line.push_str(&format!(
            "{} prober.go:107] \"Probe failed\" probeType=\"Readiness\" pod=\"{pod}\" podUID=\"{}\" containerName=\"web\" probeResult=\"failure\" output=\"Get \\\"http://10.240.0.{}:8080/healthz\\\": dial tcp: i/o timeout\"",
            clock.klog('I'),
            rng.guid(),
            rng.below(250)
        )),
        7..=8 => line.push_str(&format!(
            "{} kuberuntime_manager.go:1029] \"computePodActions got for pod\" podActions={{KillPod:false CreateSandbox:false SandboxID:{} Attempt:0 ContainersToStart:[] ContainersToKill:map[]}} pod=\"{pod}\"",
            clock.klog('I'),
            rng.hex(64)
        )),
        _ => line.push_str(&format!(
            "{} pod_workers.go:1298] \"Error syncing pod, skipping\" err=\"failed to \\\"StartContainer\\\" for \\\"web\\\" with CrashLoopBackOff: \\\"back-off 5m0s restarting failed container=web pod={pod}\\\"\" pod=\"{pod}\" podUID=\"{}\"",
            clock.klog('E'),
            rng.guid()
        )),
    }
}

/// One failure, in one of five wordings / escape depths, cycling.
fn failure_line(line: &mut String, clock: &Clock, rng: &mut Rng, nth: u64) {
    let t = clock.iso();
    let id = rng.hex(64);
    let short = &id[..12];
    match nth % 5 {
        // dockerd API error, escape depth 1, with the extra-info blob.
        0 => line.push_str(&format!(
            "time=\"{t}\" level=error msg=\"Handler for POST /v1.44/containers/{short}/start returned error: hcs::CreateComputeSystem {id}: The container operating system does not match the host operating system.\\n(extra info: {{\\\"SystemType\\\":\\\"Container\\\",\\\"Name\\\":\\\"{id}\\\",\\\"Owner\\\":\\\"docker\\\",\\\"IsDummy\\\":false,\\\"VolumePath\\\":\\\"\\\\\\\\?\\\\Volume{{{}}}\\\",\\\"IgnoreFlushesDuringBoot\\\":true,\\\"LayerFolderPath\\\":\\\"C:\\\\ProgramData\\\\docker\\\\windowsfilter\\\\{id}\\\",\\\"Layers\\\":[{{\\\"ID\\\":\\\"{}\\\",\\\"Path\\\":\\\"C:\\\\ProgramData\\\\docker\\\\windowsfilter\\\\{}\\\"}}],\\\"HostName\\\":\\\"{short}\\\",\\\"HvPartition\\\":false}})\"",
            rng.guid(),
            rng.guid(),
            rng.hex(64)
        )),
        // kubelet via containerd, escape depth 1 inside err="…".
        1 => line.push_str(&format!(
            "{} remote_runtime.go:343] \"StartContainer from runtime service failed\" err=\"rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem {id}: The container operating system does not match the host operating system.: unknown\" containerID=\"{id}\"",
            clock.klog('E')
        )),
        // The newer dockerd wording with both builds.
        2 => line.push_str(&format!(
            "time=\"{t}\" level=error msg=\"Handler for POST /v1.44/containers/create returned error: a Windows version 10.0.26100-based image is incompatible with a 10.0.20348 host\""
        )),
        // Pull of an image with no manifest for this host.
        3 => line.push_str(&format!(
            "time=\"{t}\" level=error msg=\"Handler for POST /v1.44/images/create returned error: no matching manifest for windows/amd64 10.0.20348 in the manifest list entries\""
        )),
        // containerd JSON line, the message escaped inside a JSON string
        // inside a quoted pod name (escape depth 2 for the quotes).
        _ => line.push_str(&format!(
            "{{\"error\":\"rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem {short}: The container operating system does not match the host operating system. (0xc0370101): unknown\",\"level\":\"error\",\"msg\":\"StartContainer for \\\"{short}\\\" failed\",\"time\":\"{t}\"}}"
        )),
    }
}
