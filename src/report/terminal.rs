//! What the terminal can show: colour or not, Unicode or plain ASCII.
//!
//! The decision is made once, from values the CLI read from the
//! environment (`TermEnv`), and travels down in `TextStyle`; renderers never
//! read the environment themselves (tests stay deterministic). This module
//! reads nothing either: `TermEnv` is filled by `app`.
//!
//! The rules (issue 13, point 5):
//! - `NO_COLOR` with any non-empty value (<https://no-color.org>) or
//!   `TERM=dumb`: no colour and plain ASCII; `--color always` still colours.
//! - The character set follows the locale: the first of `LC_ALL`,
//!   `LC_CTYPE`, `LANG` that is set and non-empty decides (POSIX order); it
//!   is Unicode when it names UTF-8 (`UTF-8`/`utf8`, any case), ASCII
//!   otherwise (`C`, `POSIX`, `en_US.ISO-8859-1`).
//! - None of the three set: Unicode. Windows consoles set none of them and
//!   show Unicode, and so do most CI logs; a POSIX shell that really runs in
//!   the "C" locale usually says so (`LANG=C`), and `TERM=dumb` or
//!   `NO_COLOR` are there for the rest.

/// Which characters the text report may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Charset {
    /// Box drawing, ✓ ✗ ┆ … →.
    #[default]
    Unicode,
    /// Only printable ASCII: `+-|` tables, `OK`, `x`, `...`, `->`.
    Ascii,
}

impl Charset {
    /// The mark of a fix that applies: `✓` or `OK`.
    pub fn check(self) -> &'static str {
        match self {
            Charset::Unicode => "✓",
            Charset::Ascii => "OK",
        }
    }

    /// The mark of a failure or of a fix that does not apply: `✗` or `x`.
    pub fn cross(self) -> &'static str {
        match self {
            Charset::Unicode => "✗",
            Charset::Ascii => "x",
        }
    }

    /// The marker of a shortened text: `…` or `...`.
    pub fn ellipsis(self) -> &'static str {
        match self {
            Charset::Unicode => "…",
            Charset::Ascii => "...",
        }
    }

    /// `text` as this charset can show it: unchanged for Unicode; for
    /// ASCII the few symbols our own sentences use get ASCII equivalents
    /// and any other non-ASCII character becomes `?`.
    pub fn clean(self, text: &str) -> String {
        match self {
            Charset::Unicode => text.to_owned(),
            Charset::Ascii => {
                let mut out = String::with_capacity(text.len());
                for c in text.chars() {
                    match c {
                        c if c.is_ascii() => out.push(c),
                        '…' => out.push_str("..."),
                        '→' => out.push_str("->"),
                        '←' => out.push_str("<-"),
                        '≥' => out.push_str(">="),
                        '≤' => out.push_str("<="),
                        '✓' | '✔' | '✅' => out.push_str("OK"),
                        '✗' | '✘' | '❌' => out.push('x'),
                        '┆' | '│' | '║' => out.push('|'),
                        '─' | '═' | '┄' | '╌' | '┈' => out.push('-'),
                        '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' | '┼' | '╞' | '╡' | '╪'
                        | '╤' | '╧' => out.push('+'),
                        '–' | '—' => out.push('-'),
                        '‘' | '’' => out.push('\''),
                        '“' | '”' => out.push('"'),
                        '\u{a0}' => out.push(' '),
                        _ => out.push('?'),
                    }
                }
                out
            }
        }
    }
}

/// The environment variables the decision reads, as the CLI found them
/// (`None` = unset).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermEnv {
    pub term: Option<String>,
    pub no_color: Option<String>,
    pub lc_all: Option<String>,
    pub lc_ctype: Option<String>,
    pub lang: Option<String>,
}

/// The decision: colour and character set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terminal {
    pub color: bool,
    pub charset: Charset,
}

fn set(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

impl TermEnv {
    /// `NO_COLOR` set to anything but the empty string.
    pub fn no_color(&self) -> bool {
        set(&self.no_color).is_some()
    }

    /// `TERM=dumb`.
    pub fn dumb(&self) -> bool {
        set(&self.term).is_some_and(|t| t.eq_ignore_ascii_case("dumb"))
    }

    /// The locale's character set: `LC_ALL`, else `LC_CTYPE`, else `LANG`;
    /// none set means Unicode (see the module doc).
    pub fn locale_charset(&self) -> Charset {
        let Some(locale) = set(&self.lc_all)
            .or_else(|| set(&self.lc_ctype))
            .or_else(|| set(&self.lang))
        else {
            return Charset::Unicode;
        };
        let l = locale.to_ascii_lowercase();
        if l.contains("utf-8") || l.contains("utf8") {
            Charset::Unicode
        } else {
            Charset::Ascii
        }
    }

    /// Decide. `forced` is `--color always` (`Some(true)`) or `never`
    /// (`Some(false)`); with `auto` (`None`) colour needs a terminal.
    pub fn decide(&self, forced: Option<bool>, is_terminal: bool) -> Terminal {
        let plain = self.no_color() || self.dumb();
        let color = forced.unwrap_or(is_terminal && !plain);
        let charset = if plain {
            Charset::Ascii
        } else {
            self.locale_charset()
        };
        Terminal { color, charset }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> TermEnv {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        };
        TermEnv {
            term: get("TERM"),
            no_color: get("NO_COLOR"),
            lc_all: get("LC_ALL"),
            lc_ctype: get("LC_CTYPE"),
            lang: get("LANG"),
        }
    }

    #[test]
    fn a_utf8_terminal_gets_colour_and_unicode() {
        let t = env(&[("TERM", "xterm-256color"), ("LANG", "en_US.UTF-8")]).decide(None, true);
        assert_eq!(
            t,
            Terminal {
                color: true,
                charset: Charset::Unicode
            }
        );
    }

    #[test]
    fn term_dumb_and_no_color_give_plain_ascii() {
        for e in [
            env(&[("TERM", "dumb"), ("LANG", "en_US.UTF-8")]),
            env(&[("NO_COLOR", "1"), ("LANG", "en_US.UTF-8")]),
        ] {
            assert_eq!(
                e.decide(None, true),
                Terminal {
                    color: false,
                    charset: Charset::Ascii
                },
                "{e:?}"
            );
        }
    }

    #[test]
    fn an_empty_no_color_is_unset() {
        let t = env(&[("NO_COLOR", ""), ("LANG", "C.UTF-8")]).decide(None, true);
        assert!(t.color);
        assert_eq!(t.charset, Charset::Unicode);
    }

    #[test]
    fn color_always_still_colours_a_dumb_terminal() {
        let t = env(&[("TERM", "dumb")]).decide(Some(true), false);
        assert!(t.color);
        assert_eq!(t.charset, Charset::Ascii);
    }

    #[test]
    fn the_locale_decides_in_posix_order() {
        assert_eq!(env(&[]).locale_charset(), Charset::Unicode);
        assert_eq!(env(&[("LANG", "C")]).locale_charset(), Charset::Ascii);
        assert_eq!(env(&[("LANG", "POSIX")]).locale_charset(), Charset::Ascii);
        assert_eq!(
            env(&[("LANG", "de_DE.utf8")]).locale_charset(),
            Charset::Unicode
        );
        assert_eq!(
            env(&[("LC_ALL", "C"), ("LANG", "en_US.UTF-8")]).locale_charset(),
            Charset::Ascii
        );
        assert_eq!(
            env(&[("LC_CTYPE", "en_US.ISO-8859-1"), ("LANG", "en_US.UTF-8")]).locale_charset(),
            Charset::Ascii
        );
        assert_eq!(
            env(&[("LC_ALL", ""), ("LC_CTYPE", "C.UTF-8"), ("LANG", "C")]).locale_charset(),
            Charset::Unicode
        );
    }

    #[test]
    fn ascii_cleaning_keeps_ascii_and_replaces_our_symbols() {
        assert_eq!(
            Charset::Ascii.clean("✓ a → b … ≥ 1.7 ┆ é"),
            "OK a -> b ... >= 1.7 | ?"
        );
        assert_eq!(Charset::Unicode.clean("✓ é"), "✓ é");
    }
}
