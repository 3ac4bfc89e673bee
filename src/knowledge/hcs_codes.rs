//! HCS (Host Compute Service) error codes and messages (facts.md §4.2), and
//! the look-alike Win32/HNS/hypervisor errors that appear in the same
//! places but are never a version mismatch.
//!
//! Each code is kept in its `0xC037xxxx` (NTSTATUS-style,
//! `ERROR_VMCOMPUTE_*`) form; the `0x8037xxxx` HRESULT form (`HCS_E_*`) is
//! the same low 16 bits. This module must not know input formats: callers
//! hand it a code or a message text.

/// `ERROR_VMCOMPUTE_IMAGE_MISMATCH` / `HCS_E_IMAGE_MISMATCH` in its 0xC037 form.
pub const IMAGE_MISMATCH: u32 = crate::model::hcs::IMAGE_MISMATCH;

/// One known error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HcsCode {
    /// The code in its `0xC037xxxx` (NTSTATUS-style) form, or the Win32 value
    /// for look-alikes such as `0x57`; 0 when the message is printed without
    /// a code (HNS "The endpoint was not found.").
    pub code: u32,
    pub hresult_name: Option<&'static str>,
    pub ntstatus_name: Option<&'static str>,
    /// Documented message.
    pub message: &'static str,
    /// Other message texts seen in the field for the same code.
    pub observed: &'static [&'static str],
    /// What it usually means for containers.
    pub meaning: &'static str,
    /// What to do.
    pub advice: &'static str,
    pub source: &'static str,
    /// Not an HCS code, but seen in the same error lines (never a version
    /// mismatch).
    pub lookalike: bool,
    /// Other names for look-alikes (`ERROR_INVALID_PARAMETER`).
    pub other_names: &'static [&'static str],
}

impl HcsCode {
    /// Whether `code` is meaningful (look-alikes without a printed code have 0).
    pub fn has_code(&self) -> bool {
        self.code != 0
    }

    /// The HRESULT form of an HCS code (`0x80370101`); `None` for look-alikes.
    pub fn hresult(&self) -> Option<u32> {
        if self.code & 0xFFFF_0000 == 0xC037_0000 {
            Some((self.code & 0xFFFF) | 0x8037_0000)
        } else {
            None
        }
    }

    /// Every name this code goes by.
    pub fn names(&self) -> Vec<&'static str> {
        self.ntstatus_name
            .into_iter()
            .chain(self.hresult_name)
            .chain(self.other_names.iter().copied())
            .collect()
    }
}

const HCS_SRC: &str = "MicrosoftDocs/Virtualization-Documentation virtualization/api/hcs/Reference/HCSHResult.md (https://learn.microsoft.com/virtualization/api/hcs/reference/hcshresult); microsoft/hcsshim internal/computecore/errors.go @ 8d6e435b; golang/sys windows/zerrors_windows.go";
const COMPUTECORE_SRC: &str =
    "microsoft/hcsshim internal/computecore/errors.go @ 8d6e435b (not in HCSHResult.md)";
const NOT_MISMATCH: &str = "This is not a host/image version mismatch.";

macro_rules! hcs {
    ($low:literal, $hr:expr, $nt:expr, $msg:literal, $obs:expr, $meaning:literal, $advice:expr) => {
        hcs!($low, $hr, $nt, $msg, $obs, $meaning, $advice, HCS_SRC)
    };
    ($low:literal, $hr:expr, $nt:expr, $msg:literal, $obs:expr, $meaning:literal, $advice:expr, $src:expr) => {
        HcsCode {
            code: 0xC037_0000 | $low,
            hresult_name: $hr,
            ntstatus_name: $nt,
            message: $msg,
            observed: $obs,
            meaning: $meaning,
            advice: $advice,
            source: $src,
            lookalike: false,
            other_names: &[],
        }
    };
}

const GENERIC_ADVICE: &str = "Not a version mismatch: read the rest of the error and the daemon/containerd log for the operation that failed.";

/// Every HCS code of facts.md §4.2 (0x0100 … 0x0121), then the look-alikes.
/// Please keep the HCS part sorted by code.
#[rustfmt::skip]
pub static CODES: &[HcsCode] = &[
    hcs!(0x0100, Some("HCS_E_TERMINATED_DURING_START"), Some("ERROR_VMCOMPUTE_TERMINATED_DURING_START"),
        "The virtual machine or container exited unexpectedly while starting", &[],
        "The container or utility VM stopped during start-up; not a version check.",
        "Look at the container's own start-up (entrypoint, missing files) and the host's event log (Hyper-V-Compute)."),
    hcs!(0x0101, Some("HCS_E_IMAGE_MISMATCH"), Some("ERROR_VMCOMPUTE_IMAGE_MISMATCH"),
        "The container operating system does not match the host operating system",
        &[
            "The operating system of the container does not match the operating system of the host",
            "The container operating system does not match the host operating system",
        ],
        "The image's Windows build (or, on Windows Server 2016, its revision) is not one this host can run with process isolation: the OS version mismatch.",
        "Rebuild the image FROM the base image tag matching the host (e.g. servercore:ltsc2022 on Windows Server 2022), run it with --isolation=hyperv when the host is newer than the image, or schedule it on a host with the same Windows version. Run `wincompat check --host <host version> --image <image>` for the exact rule."),
    hcs!(0x0102, Some("HCS_E_HYPERV_NOT_INSTALLED"), Some("ERROR_VMCOMPUTE_HYPERV_NOT_INSTALLED"),
        "The virtual machine could not be started because a required feature is not installed",
        &["The virtual machine could not be started because a required feature is not installed."],
        "Hyper-V isolation was requested (or is the default, on Windows 10/11) but the Hyper-V feature or nested virtualization is missing (moby/moby#40792).",
        "Enable the Hyper-V and Containers features (and nested virtualization in a VM), or use process isolation with an image of the host's build."),
    hcs!(0x0103, None, Some("ERROR_VMCOMPUTE_OPERATION_PENDING"),
        "The operation is still pending (hcsshim ErrVmcomputeOperationPending)", &[],
        "An internal HCS state: the operation was accepted and runs asynchronously.",
        "Usually handled by the runtime; if it surfaces, retry and check the daemon log."),
    hcs!(0x0104, None, Some("ERROR_VMCOMPUTE_TOO_MANY_NOTIFICATIONS"),
        "Too many notifications", &[],
        "An internal HCS notification error.",
        "Retry; check the host's Hyper-V-Compute event log."),
    hcs!(0x0105, Some("HCS_E_INVALID_STATE"), Some("ERROR_VMCOMPUTE_INVALID_STATE"),
        "The requested virtual machine or container operation is not valid in the current state", &[],
        "The container was asked to do something its state does not allow (start a stopped one, stop one that is gone).",
        "Remove and recreate the container; restart the container runtime if it persists."),
    hcs!(0x0106, Some("HCS_E_UNEXPECTED_EXIT"), Some("ERROR_VMCOMPUTE_UNEXPECTED_EXIT"),
        "The virtual machine or container exited unexpectedly",
        &["The compute system exited unexpectedly"],
        "The container stopped unexpectedly. Also seen when host and image are at different patch levels (a WS2025 host lacking KB5058411 with newer ltsc2025/ltsc2019 images, microsoft/Windows-Containers#591) — a patch-level, not a build, mismatch.",
        "Update the host to the latest cumulative update (or use an image of the host's patch level); Hyper-V isolation avoids the host kernel. Check the container's own exit reason."),
    hcs!(0x0107, Some("HCS_E_TERMINATED"), Some("ERROR_VMCOMPUTE_TERMINATED"),
        "The virtual machine or container was forcefully exited", &[],
        "Something terminated the container (stop, kill, host shutdown).",
        "Check who stopped it: orchestrator, `docker stop`, host restart."),
    hcs!(0x0108, Some("HCS_E_CONNECT_FAILED"), Some("ERROR_VMCOMPUTE_CONNECT_FAILED"),
        "A connection could not be established with the container or virtual machine", &[],
        "The host could not talk to the container or utility VM.",
        GENERIC_ADVICE),
    hcs!(0x0109, Some("HCS_E_CONNECTION_TIMEOUT"), Some("ERROR_VMCOMPUTE_TIMEOUT"),
        "The operation timed out because a response was not received from the virtual machine or container", &[],
        "The container or utility VM did not answer in time (slow disk, overloaded host, large image).",
        "Retry; check host load and storage; increase runtime timeouts if available."),
    hcs!(0x010A, Some("HCS_E_CONNECTION_CLOSED"), Some("ERROR_VMCOMPUTE_CONNECTION_CLOSED"),
        "The connection with the virtual machine or container was closed", &[],
        "The channel to the container closed, usually because it exited.",
        GENERIC_ADVICE),
    hcs!(0x010B, Some("HCS_E_UNKNOWN_MESSAGE"), Some("ERROR_VMCOMPUTE_UNKNOWN_MESSAGE"),
        "An unknown internal message was received by the virtual machine or container", &[],
        "Internal protocol error between host and guest.",
        GENERIC_ADVICE),
    hcs!(0x010C, Some("HCS_E_UNSUPPORTED_PROTOCOL_VERSION"), Some("ERROR_VMCOMPUTE_UNSUPPORTED_PROTOCOL_VERSION"),
        "The virtual machine or container does not support an available version of the communication protocol with the host", &[],
        "Host and guest do not share a protocol version (possible with very different guest and host builds under Hyper-V).",
        "Update the host; use an image whose build is not newer than the host."),
    hcs!(0x010D, Some("HCS_E_INVALID_JSON"), Some("ERROR_VMCOMPUTE_INVALID_JSON"),
        "The virtual machine or container JSON document is invalid", &[],
        "The runtime sent HCS a configuration it does not accept (runtime/host mismatch or a bad option).",
        "Update the container runtime; remove unusual options (mounts, devices) and retry."),
    hcs!(0x010E, Some("HCS_E_SYSTEM_NOT_FOUND"), Some("ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND"),
        "A virtual machine or container with the specified identifier does not exist", &[],
        "The container is already gone (often after an earlier failure).",
        "Look for the first error for this container; this one is a consequence."),
    hcs!(0x010F, Some("HCS_E_SYSTEM_ALREADY_EXISTS"), Some("ERROR_VMCOMPUTE_SYSTEM_ALREADY_EXISTS"),
        "A virtual machine or container with the specified identifier already exists.", &[],
        "A container with that ID is still registered with HCS.",
        "Remove the stale container (restart the runtime if needed)."),
    hcs!(0x0110, Some("HCS_E_SYSTEM_ALREADY_STOPPED"), Some("ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED"),
        "The virtual machine or container with the specified identifier is not running", &[],
        "The container had already stopped.",
        "Look for why it stopped; this one is a consequence."),
    hcs!(0x0111, Some("HCS_E_PROTOCOL_ERROR"), Some("ERROR_VMCOMPUTE_PROTOCOL_ERROR"),
        "A communication protocol error has occurred between the virtual machine or container and the host", &[],
        "Internal protocol error between host and guest.",
        GENERIC_ADVICE),
    hcs!(0x0112, Some("HCS_E_INVALID_LAYER"), Some("ERROR_VMCOMPUTE_INVALID_LAYER"),
        "The container image contains a layer with an unrecognized format",
        &["The container image contains a layer with an unrecognized format"],
        "A layer of the image cannot be read by this host. Reported for servercore:ltsc2025 on Windows 11 25H2 (26200) in both isolation modes (microsoft/hcsshim#2566, open) — related to versions, but not the 0xc0370101 check.",
        "Re-pull the image; on Windows 11 25H2 try an ltsc2022 image or a Windows Server 2025 host; follow microsoft/hcsshim#2566."),
    hcs!(0x0113, Some("HCS_E_WINDOWS_INSIDER_REQUIRED"), Some("ERROR_VMCOMPUTE_WINDOWS_INSIDER_REQUIRED"),
        "To use this container image, you must join the Windows Insider Program", &[],
        "An insider (pre-release) image on a host that is not an Insider build.",
        "Use a released base image tag (ltsc2022, ltsc2025) or an Insider host for insider images."),
    hcs!(0x0114, Some("HCS_E_SERVICE_NOT_AVAILABLE"), None,
        "The operation could not be started because a required feature is not installed",
        &["The operation could not be started because a required feature is not installed."],
        "The Containers (or Hyper-V) Windows feature is missing or its service is not running (docker/for-win#10597).",
        "Enable the Containers feature (and Hyper-V for Hyper-V isolation) and reboot."),
    hcs!(0x0115, Some("HCS_E_OPERATION_NOT_STARTED"), None,
        "The operation has not started", &[], "Internal HCS operation state.", GENERIC_ADVICE),
    hcs!(0x0116, Some("HCS_E_OPERATION_ALREADY_STARTED"), None,
        "The operation is already running", &[], "Internal HCS operation state.", GENERIC_ADVICE),
    hcs!(0x0117, Some("HCS_E_OPERATION_PENDING"), None,
        "The operation is still running", &[], "Internal HCS operation state.", GENERIC_ADVICE),
    hcs!(0x0118, Some("HCS_E_OPERATION_TIMEOUT"), None,
        "The operation did not complete in time", &[],
        "An HCS operation timed out (overloaded host, slow storage).",
        "Retry; check host load and storage."),
    hcs!(0x0119, Some("HCS_E_OPERATION_SYSTEM_CALLBACK_ALREADY_SET"), None,
        "An event callback has already been registered on this handle", &[],
        "Internal runtime error.", GENERIC_ADVICE),
    hcs!(0x011A, Some("HCS_E_OPERATION_RESULT_ALLOCATION_FAILED"), None,
        "Not enough memory available to return the result of the operation", &[],
        "The host is short of memory.", "Free memory on the host and retry."),
    hcs!(0x011B, Some("HCS_E_ACCESS_DENIED"), None,
        "Insufficient privileges. Only administrators or users that are members of the Hyper-V Administrators user group are permitted to access virtual machines or containers.", &[],
        "The caller is not allowed to use HCS.",
        "Run the runtime as Administrator or add the user to Hyper-V Administrators."),
    hcs!(0x011C, Some("HCS_E_GUEST_CRITICAL_ERROR"), None,
        "The virtual machine or container reported a critical error and was stopped or restarted", &[],
        "The guest crashed.", "Check the container's logs and the host's event log."),
    hcs!(0x011D, Some("HCS_E_PROCESS_INFO_NOT_AVAILABLE"), None,
        "The process information is not available", &[], "Internal HCS state.", GENERIC_ADVICE),
    hcs!(0x011E, Some("HCS_E_SERVICE_DISCONNECT"), None,
        "The host compute system service has disconnected unexpectedly", &[],
        "The vmcompute service stopped or restarted.",
        "Check the vmcompute service and the host event log; restart the runtime."),
    hcs!(0x011F, Some("HCS_E_PROCESS_ALREADY_STOPPED"), None,
        "The process has already exited", &[], "The process in the container had already exited.", GENERIC_ADVICE),
    hcs!(0x0120, Some("HCS_E_SYSTEM_NOT_CONFIGURED_FOR_OPERATION"), None,
        "The virtual machine or container is not configured to perform the operation.", &[],
        "The container was not created with the feature the operation needs.", GENERIC_ADVICE, COMPUTECORE_SRC),
    hcs!(0x0121, Some("HCS_E_OPERATION_ALREADY_CANCELLED"), None,
        "The operation has already been cancelled.", &[],
        "Internal HCS operation state.", GENERIC_ADVICE, COMPUTECORE_SRC),
    // Look-alikes: not HCS codes, but printed in the same
    // "failure in a Windows system call: … (0x…)" position.
    HcsCode {
        code: 0x57,
        hresult_name: None,
        ntstatus_name: None,
        other_names: &["ERROR_INVALID_PARAMETER"],
        message: "The parameter is incorrect.",
        observed: &[],
        meaning: "Win32 ERROR_INVALID_PARAMETER from HCS: a configuration HCS rejected. Seen on a fresh WS2019 node under Kubernetes with a matching image, fixed by a Windows update (kubernetes/kubernetes#69901). This is not a host/image version mismatch.",
        advice: "Install the latest cumulative update on the host, update the runtime, and check mounts/network options of the container.",
        source: "kubernetes/kubernetes#69901",
        lookalike: true,
    },
    HcsCode {
        code: 0x32,
        hresult_name: None,
        ntstatus_name: None,
        other_names: &["ERROR_NOT_SUPPORTED"],
        message: "The request is not supported.",
        observed: &[],
        meaning: "Win32 ERROR_NOT_SUPPORTED: a feature the container asked for is not available on this host (e.g. an option of the stack or network). This is not a host/image version mismatch.",
        advice: "Check the service/stack options (mounts, network mode, isolation) against the host's features; see the full error with --no-trunc.",
        source: "moby/moby#42853 (docker stack ps --no-trunc)",
        lookalike: true,
    },
    HcsCode {
        code: 0x2,
        hresult_name: None,
        ntstatus_name: None,
        other_names: &["ERROR_FILE_NOT_FOUND"],
        message: "The system cannot find the file specified.",
        observed: &[],
        meaning: "Win32 ERROR_FILE_NOT_FOUND: a path the container needs (entrypoint, mount source, layer) does not exist. This is not a host/image version mismatch.",
        advice: "Check the entrypoint/command path inside the image and the mount sources on the host.",
        source: "https://learn.microsoft.com/windows/win32/debug/system-error-codes--0-499- (ERROR_FILE_NOT_FOUND = 2)",
        lookalike: true,
    },
    HcsCode {
        code: 0,
        hresult_name: None,
        ntstatus_name: None,
        other_names: &[],
        message: "The endpoint was not found.",
        observed: &[],
        meaning: "Host Networking Service (hnsCall) could not find the container's network endpoint: a networking problem (stale HNS state, CNI). This is not a host/image version mismatch.",
        advice: "Restart the HNS and container runtime services, check the CNI/network configuration, and recreate the pod/container.",
        source: "kubernetes-sigs/sig-windows-tools#91 (docker inspect, hnsCall)",
        lookalike: true,
    },
    HcsCode {
        code: 0xC035_1000,
        hresult_name: None,
        ntstatus_name: None,
        other_names: &["STATUS_HV_NOT_PRESENT"],
        message: "No hypervisor is present on this system.",
        observed: &[],
        meaning: "Hyper-V isolation was attempted on a machine without a running hypervisor (VM without nested virtualization, Hyper-V disabled). This is not a host/image version mismatch.",
        advice: "Enable Hyper-V (and nested virtualization for a VM), or use process isolation with an image of the host's build.",
        source: "docker/for-win#1477",
        lookalike: true,
    },
];

/// The note every look-alike carries.
pub fn not_mismatch_note() -> &'static str {
    NOT_MISMATCH
}

/// Whether a cut message text could still be the start (from any word on)
/// of a message of this table other than the mismatch's: then the cut text
/// does not tell which error it was.
pub fn could_start_other_message(cut: &str) -> bool {
    let squash = |t: &str| -> String {
        t.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let cut = squash(cut.trim_end_matches(['…', '.']));
    if cut.is_empty() {
        return false;
    }
    CODES
        .iter()
        .filter(|c| c.code != IMAGE_MISMATCH)
        .flat_map(|c| std::iter::once(c.message).chain(c.observed.iter().copied()))
        .any(|text| {
            let words: Vec<&str> = text.split_whitespace().collect();
            (0..words.len()).any(|i| squash(&words[i..].join(" ")).starts_with(&cut))
        })
}

/// A field report tying a code to host/image patch levels, when one is
/// known: 0xc0370106 after revision differences on WS2025
/// (microsoft/Windows-Containers#591).
pub fn revision_hint(code: u32) -> Option<&'static str> {
    (code == 0xC037_0106).then_some(
        "Patch-level mismatches between host and image have been reported to fail this way (WS2025 hosts lacking KB5058411 running newer ltsc2025/ltsc2019 images; microsoft/Windows-Containers#591): compare the host's and the image's revisions.",
    )
}

/// Find by numeric value: `0xC0370101` and `0x80370101` both give the
/// image-mismatch entry; `0x80070057` (HRESULT of a Win32 code) gives `0x57`.
pub fn lookup(code: u32) -> Option<&'static HcsCode> {
    let canonical = match code & 0xFFFF_0000 {
        0x8037_0000 => (code & 0xFFFF) | 0xC037_0000,
        0x8007_0000 => code & 0xFFFF,
        _ => code,
    };
    if canonical == 0 {
        return None;
    }
    CODES.iter().find(|c| c.code == canonical)
}

/// Find by any textual form: `0xc0370101`, `0x80370101`, `c0370101`,
/// decimal `3224830209` or signed `-1070137087`, a name
/// (`ERROR_VMCOMPUTE_IMAGE_MISMATCH`, `HCS_E_IMAGE_MISMATCH`); case-insensitive,
/// surrounding parentheses and a trailing period ignored.
pub fn parse_code(text: &str) -> Option<&'static HcsCode> {
    let t = text
        .trim()
        .trim_end_matches('.')
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u32::from_str_radix(hex, 16).ok().and_then(lookup);
    }
    if t.len() == 8
        && t.chars().all(|c| c.is_ascii_hexdigit())
        && !t.chars().all(|c| c.is_ascii_digit())
    {
        return u32::from_str_radix(t, 16).ok().and_then(lookup);
    }
    if let Some(neg) = t.strip_prefix('-') {
        // Signed 32-bit form, as some tools print HRESULTs.
        let n: i64 = neg.parse().ok()?;
        let value = i32::try_from(n.checked_neg()?).ok()?;
        return lookup(u32::from_ne_bytes(value.to_ne_bytes()));
    }
    if t.chars().all(|c| c.is_ascii_digit()) {
        return t.parse::<u32>().ok().and_then(lookup);
    }
    CODES
        .iter()
        .find(|c| c.names().iter().any(|n| n.eq_ignore_ascii_case(t)))
}

/// Find the code whose documented or observed message the text contains,
/// case-insensitive and ignoring a trailing period; the longest matching
/// message wins. `"…failure in a Windows system call: The operating system
/// of the container does not match the operating system of the host.
/// (0xc0370101)"` → 0xC0370101.
///
/// Tolerance: runs of whitespace, line breaks included, count as one space,
/// because PowerShell wraps long error lines at the console width
/// (BcContainerHelper's `DockerDo : … does not match the` / `host operating
/// system.`).
pub fn by_message(text: &str) -> Option<&'static HcsCode> {
    let mut lower = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !lower.is_empty() {
            lower.push(' ');
        }
        lower.push_str(&word.to_ascii_lowercase());
    }
    let mut best: Option<(usize, &'static HcsCode)> = None;
    for c in CODES {
        for m in std::iter::once(&c.message).chain(c.observed) {
            let needle = m.trim_end_matches('.').to_ascii_lowercase();
            if needle.len() < 12 {
                continue;
            }
            if lower.contains(&needle) && best.is_none_or(|(len, _)| needle.len() > len) {
                best = Some((needle.len(), c));
            }
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hcs_codes_are_sorted_unique_and_complete() {
        let hcs: Vec<u32> = CODES
            .iter()
            .filter(|c| !c.lookalike)
            .map(|c| c.code)
            .collect();
        assert_eq!(hcs.first(), Some(&0xC037_0100));
        assert_eq!(hcs.last(), Some(&0xC037_0121));
        assert_eq!(hcs.len(), 0x22, "0x0100 … 0x0121");
        for pair in hcs.windows(2) {
            assert_eq!(pair[0] + 1, pair[1]);
        }
        for c in CODES {
            assert!(!c.source.is_empty() && !c.message.is_empty() && !c.advice.is_empty());
            assert!(!c.names().is_empty() || c.code == 0, "{:#x}", c.code);
            if c.lookalike {
                assert!(c.meaning.contains(NOT_MISMATCH), "{}", c.message);
            }
        }
    }

    #[test]
    fn both_numeric_forms_find_image_mismatch() {
        let c = lookup(0xC037_0101).expect("0xc0370101");
        assert_eq!(c.ntstatus_name, Some("ERROR_VMCOMPUTE_IMAGE_MISMATCH"));
        assert_eq!(c.hresult_name, Some("HCS_E_IMAGE_MISMATCH"));
        assert_eq!(lookup(0x8037_0101), Some(c));
        assert_eq!(c.hresult(), Some(0x8037_0101));
        assert_eq!(
            lookup(0x8007_0057).map(|c| c.message),
            Some("The parameter is incorrect.")
        );
        assert_eq!(lookup(0), None);
        assert_eq!(lookup(0xDEAD_BEEF), None);
    }

    #[test]
    fn every_textual_form_parses() {
        for text in [
            "0xc0370101",
            "0xC0370101",
            "0x80370101",
            "c0370101",
            "(0xc0370101)",
            "3224830209",
            // 0xC0370101 as a signed 32-bit integer. (The brief said
            // -1070136063, which is 0xC0370501: not an HCS code.)
            "-1070137087",
            "ERROR_VMCOMPUTE_IMAGE_MISMATCH",
            "hcs_e_image_mismatch",
            " 0xc0370101. ",
        ] {
            assert_eq!(
                parse_code(text).map(|c| c.code),
                Some(IMAGE_MISMATCH),
                "{text}"
            );
        }
        assert_eq!(parse_code("0x57").map(|c| c.code), Some(0x57));
        assert_eq!(
            parse_code("ERROR_INVALID_PARAMETER").map(|c| c.code),
            Some(0x57)
        );
        assert_eq!(parse_code("0xc0351000").map(|c| c.code), Some(0xC035_1000));
        assert_eq!(
            parse_code("0xc0370112").map(|c| c.hresult_name),
            Some(Some("HCS_E_INVALID_LAYER"))
        );
        assert_eq!(parse_code("0xdeadbeef"), None);
        assert_eq!(
            parse_code("-1070136063"),
            None,
            "0xC0370501 is not a known code"
        );
        assert_eq!(parse_code("WC101"), None);
        assert_eq!(parse_code(""), None);
        assert_eq!(parse_code("99999999999999999999"), None);
        assert_eq!(parse_code("-99999999999999999999"), None);
        assert_eq!(
            parse_code("--9223372036854775808"),
            None,
            "no overflow on i64::MIN"
        );
        assert_eq!(parse_code("-0"), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(text in "\\PC{0,80}") {
            let _ = parse_code(&text);
            let _ = by_message(&text);
        }
    }

    #[test]
    fn both_english_texts_of_0xc0370101() {
        let old = "failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101)";
        let new = "hcs::CreateComputeSystem abc: The container operating system does not match the host operating system.";
        assert_eq!(by_message(old).map(|c| c.code), Some(IMAGE_MISMATCH));
        assert_eq!(by_message(new).map(|c| c.code), Some(IMAGE_MISMATCH));
        assert_eq!(
            by_message(&new.to_uppercase()).map(|c| c.code),
            Some(IMAGE_MISMATCH)
        );
    }

    #[test]
    fn wrapped_messages_are_found() {
        let text = "DockerDo : docker.exe: Error response from daemon: CreateComputeSystem 0f3c: The container operating system does not match the\r\nhost operating system.\n(extra info: {})";
        assert_eq!(by_message(text).map(|c| c.code), Some(IMAGE_MISMATCH));
    }

    #[test]
    fn look_alikes_are_found_by_message_and_flagged() {
        for (text, code) in [
            (
                "failure in a Windows system call: The parameter is incorrect. (0x57)",
                0x57,
            ),
            ("The request is not supported.", 0x32),
            ("The system cannot find the file specified", 0x2),
            ("hnsCall failed in Win32: The endpoint was not found.", 0),
            (
                "No hypervisor is present on this system. (0xc0351000)",
                0xC035_1000,
            ),
        ] {
            let c = by_message(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(c.code, code, "{text}");
            assert!(c.lookalike);
        }
        // The two "required feature" messages are told apart.
        assert_eq!(
            by_message("The virtual machine could not be started because a required feature is not installed.").map(|c| c.code),
            Some(0xC037_0102)
        );
        assert_eq!(
            by_message(
                "The operation could not be started because a required feature is not installed."
            )
            .map(|c| c.code),
            Some(0xC037_0114)
        );
        assert_eq!(by_message("all good"), None);
    }
}
