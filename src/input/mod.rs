//! Reading inputs: stdin, files, folders (recursive), `.gz` and `.zip`,
//! decoded to text (UTF-8, UTF-8 BOM, UTF-16LE/BE, invalid bytes lossy).
//! STUB: owned by the input helper; signatures are the contract.

use std::path::PathBuf;

/// Where to read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    Path(PathBuf),
}

/// One decoded input (a file, a zip member, stdin).
#[derive(Debug, Clone)]
pub struct DecodedInput {
    /// Display name: the path, `zip!member`, or `<stdin>`.
    pub name: String,
    pub text: String,
    /// Decoding notes (UTF-16 detected, invalid bytes replaced, truncated…).
    pub warnings: Vec<String>,
}

/// An input that could not be read, with the reason.
#[derive(Debug, Clone)]
pub struct InputError {
    pub name: String,
    pub message: String,
}

/// Everything read from the sources.
#[derive(Debug, Clone, Default)]
pub struct InputSet {
    pub inputs: Vec<DecodedInput>,
    pub errors: Vec<InputError>,
    /// Files skipped on purpose (binary, unsupported), with the reason.
    pub skipped: Vec<InputError>,
}

/// Read every source; problems with one source are recorded, not fatal.
pub fn read_all(sources: &[Source]) -> InputSet {
    let mut set = InputSet::default();
    for source in sources {
        match source {
            Source::Stdin => {
                let mut buf = Vec::new();
                match std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf) {
                    Ok(_) => set.inputs.push(DecodedInput {
                        name: "<stdin>".to_owned(),
                        text: String::from_utf8_lossy(&buf).into_owned(),
                        warnings: Vec::new(),
                    }),
                    Err(e) => set.errors.push(InputError {
                        name: "<stdin>".to_owned(),
                        message: e.to_string(),
                    }),
                }
            }
            Source::Path(path) => match std::fs::read(path) {
                Ok(bytes) => set.inputs.push(DecodedInput {
                    name: path.display().to_string(),
                    text: String::from_utf8_lossy(&bytes).into_owned(),
                    warnings: Vec::new(),
                }),
                Err(e) => set.errors.push(InputError {
                    name: path.display().to_string(),
                    message: e.to_string(),
                }),
            },
        }
    }
    set
}
