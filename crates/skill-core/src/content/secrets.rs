//! Credentials by their published formats (AWS access key ids, GitHub, Slack,
//! OpenAI, Anthropic, Google, Stripe keys, JSON Web Tokens, PEM private key
//! blocks), kept only when the secret part looks random (Shannon entropy) and
//! is no placeholder (`sk-...`, `<your-token>`, `xxxx`, `${API_KEY}`,
//! `AKIAIOSFODNN7EXAMPLE`).

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::text::TextRange;

/// One credential found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    pub range: TextRange,
    /// What it is: `an AWS access key id`.
    pub kind: &'static str,
}

/// A token format: a literal prefix, then characters of a set, with a length range.
struct Format {
    prefix: &'static str,
    kind: &'static str,
    body: fn(u8) -> bool,
    min: usize,
    max: usize,
    /// The body must hold a digit (every real key of these formats does).
    digit: bool,
}

fn upper_digit(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}
fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}
fn alnum_dash(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}
fn alnum_dash_underscore(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}
fn alnum_underscore(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

const FORMATS: &[Format] = &[
    Format {
        prefix: "AKIA",
        kind: "an AWS access key id",
        body: upper_digit,
        min: 16,
        max: 16,
        digit: true,
    },
    Format {
        prefix: "ASIA",
        kind: "an AWS temporary access key id",
        body: upper_digit,
        min: 16,
        max: 16,
        digit: true,
    },
    Format {
        prefix: "ghp_",
        kind: "a GitHub personal access token",
        body: alnum,
        min: 36,
        max: 36,
        digit: true,
    },
    Format {
        prefix: "gho_",
        kind: "a GitHub OAuth token",
        body: alnum,
        min: 36,
        max: 36,
        digit: true,
    },
    Format {
        prefix: "ghu_",
        kind: "a GitHub user-to-server token",
        body: alnum,
        min: 36,
        max: 36,
        digit: true,
    },
    Format {
        prefix: "ghs_",
        kind: "a GitHub server-to-server token",
        body: alnum,
        min: 36,
        max: 36,
        digit: true,
    },
    Format {
        prefix: "ghr_",
        kind: "a GitHub refresh token",
        body: alnum,
        min: 36,
        max: 36,
        digit: true,
    },
    Format {
        prefix: "github_pat_",
        kind: "a GitHub fine-grained token",
        body: alnum_underscore,
        min: 70,
        max: 100,
        digit: true,
    },
    Format {
        prefix: "xoxb-",
        kind: "a Slack bot token",
        body: alnum_dash,
        min: 20,
        max: 200,
        digit: true,
    },
    Format {
        prefix: "xoxp-",
        kind: "a Slack user token",
        body: alnum_dash,
        min: 20,
        max: 200,
        digit: true,
    },
    Format {
        prefix: "xoxa-",
        kind: "a Slack app token",
        body: alnum_dash,
        min: 20,
        max: 200,
        digit: true,
    },
    Format {
        prefix: "xoxr-",
        kind: "a Slack refresh token",
        body: alnum_dash,
        min: 20,
        max: 200,
        digit: true,
    },
    Format {
        prefix: "xoxs-",
        kind: "a Slack session token",
        body: alnum_dash,
        min: 20,
        max: 200,
        digit: true,
    },
    Format {
        prefix: "sk-ant-",
        kind: "an Anthropic API key",
        body: alnum_dash_underscore,
        min: 32,
        max: 200,
        digit: true,
    },
    Format {
        prefix: "sk-proj-",
        kind: "an OpenAI project API key",
        body: alnum_dash_underscore,
        min: 32,
        max: 300,
        digit: true,
    },
    Format {
        prefix: "sk-",
        kind: "an OpenAI API key",
        body: alnum_dash_underscore,
        min: 32,
        max: 200,
        digit: true,
    },
    Format {
        prefix: "AIza",
        kind: "a Google API key",
        body: alnum_dash_underscore,
        min: 35,
        max: 35,
        digit: true,
    },
    Format {
        prefix: "sk_live_",
        kind: "a Stripe secret key",
        body: alnum,
        min: 24,
        max: 120,
        digit: true,
    },
    Format {
        prefix: "rk_live_",
        kind: "a Stripe restricted key",
        body: alnum,
        min: 24,
        max: 120,
        digit: true,
    },
];

/// Shannon entropy of `s` in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts = [0usize; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    if n == 0.0 {
        return 0.0;
    }
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Words and shapes that mark an example value, not a credential.
pub fn is_placeholder(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    const MARKERS: &[&str] = &[
        "example",
        "xxxx",
        "....",
        "your",
        "placeholder",
        "dummy",
        "redacted",
        "sample",
        "changeme",
        "replace",
        "fake",
        "<",
        ">",
        "${",
        "{{",
        "0000",
        "1234",
        "abcd",
        "test",
    ];
    if MARKERS.iter().any(|m| lower.contains(m)) {
        return true;
    }
    // A run of one character (`aaaaaaaa`, `********`).
    let b = s.as_bytes();
    b.windows(6).any(|w| w.iter().all(|c| *c == w[0]))
}

/// Bytes that continue a word: a secret starts only where the byte before
/// is none of these.
fn is_word_byte(b: u8) -> bool {
    WORD_BYTES[b as usize]
}

/// [`is_word_byte`] as a table: the scan asks it of every byte of the text.
static WORD_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
        b += 1;
    }
    t
};

/// Every credential of a known format in `text[range]`.
///
/// A secret starts at a word start (the byte before is no
/// [`is_word_byte`]) with one of the [`FORMATS`]' prefixes, `eyJ` (a JWT)
/// or `-----BEGIN ` (a PEM block). The prefixes are found together by one
/// multi-pattern search ([`PREFIXES`], vectorised where the processor
/// allows); in prose they are rare, so only those places are read further.
pub fn scan(text: &str, range: TextRange) -> Vec<Secret> {
    scan_from(text, range, starts(text, range))
}

/// Where a secret may start in `text[range]`: each word start holding a
/// prefix, in order.
///
/// Matches do not overlap, but a prefix starting inside another's match
/// would start after a word byte (every byte of a prefix but the last is
/// one), so no start is missed. No prefix holds a line break, so the starts
/// of a whole text, taken between a line start and a later one, are those
/// of that part of it (a whole check finds them once, not block by block).
pub fn starts(text: &str, range: TextRange) -> Vec<usize> {
    let bytes = text.as_bytes();
    let end = range.end.min(text.len());
    let start = range.start.min(end);
    PREFIXES
        .find_iter(&bytes[start..end])
        .map(|m| start + m.start())
        .filter(|&at| at == 0 || !is_word_byte(bytes[at - 1]))
        .collect()
}

/// [`scan`] of `text[range]` given its [`starts`] (in order).
pub fn scan_from(text: &str, range: TextRange, starts: impl IntoIterator<Item = usize>) -> Vec<Secret> {
    let mut out = Vec::new();
    let end = range.end.min(text.len());
    let start = range.start.min(end);
    let mut i = start;
    for at in starts {
        if at < i {
            continue;
        }
        if let Some(s) = token_at(text, at, end)
            .or_else(|| jwt_at(text, at, end))
            .or_else(|| pem_at(text, at, end))
        {
            i = s.range.end;
            out.push(s);
        }
    }
    out
}

/// JWT and PEM openings: what [`jwt_at`] and [`pem_at`] start with.
const JWT: &str = "eyJ";
const PEM: &str = "-----BEGIN ";

/// Every prefix a secret starts with, for [`scan`]'s search.
static PREFIXES: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let prefixes = FORMATS.iter().map(|f| f.prefix).chain([JWT, PEM]);
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(prefixes)
        .expect("a handful of short literal prefixes")
});

/// Builds [`PREFIXES`] now, on the calling thread ([`crate::analysis::prewarm`]).
pub(crate) fn prewarm() {
    LazyLock::force(&PREFIXES);
}

fn token_at(text: &str, i: usize, end: usize) -> Option<Secret> {
    let bytes = text.as_bytes();
    let rest = &text[i..end];
    let f = FORMATS.iter().find(|f| rest.starts_with(f.prefix))?;
    let body_start = i + f.prefix.len();
    let mut j = body_start;
    while j < end && (f.body)(bytes[j]) {
        j += 1;
    }
    let body = &text[body_start..j];
    let len = body.len();
    if len < f.min || len > f.max {
        return None;
    }
    if j < end && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
        return None;
    }
    if f.digit && !body.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    // `sk-` keys: a hyphenated word (`sk-learn-style-names`) is not a key.
    if f.prefix == "sk-"
        && body.split('-').any(|part| part.len() < 3)
        && !body.contains('_')
        && body.matches('-').count() > 2
    {
        return None;
    }
    let whole = &text[i..j];
    if is_placeholder(whole) || entropy(body) < 3.0 {
        return None;
    }
    Some(Secret {
        range: TextRange::new(i, j),
        kind: f.kind,
    })
}

fn b64url_run(bytes: &[u8], mut j: usize, end: usize) -> usize {
    while j < end && (bytes[j].is_ascii_alphanumeric() || matches!(bytes[j], b'-' | b'_')) {
        j += 1;
    }
    j
}

/// A JSON Web Token: three base64url parts, the first two JSON objects (`eyJ`).
fn jwt_at(text: &str, i: usize, end: usize) -> Option<Secret> {
    let bytes = text.as_bytes();
    if !text[i..end].starts_with(JWT) {
        return None;
    }
    let a = b64url_run(bytes, i, end);
    if a - i < 10 || a >= end || bytes[a] != b'.' || !text[a + 1..end].starts_with("eyJ") {
        return None;
    }
    let b = b64url_run(bytes, a + 1, end);
    if b - a < 10 || b >= end || bytes[b] != b'.' {
        return None;
    }
    let c = b64url_run(bytes, b + 1, end);
    if c - b < 16 {
        return None;
    }
    let whole = &text[i..c];
    if is_placeholder(whole) || entropy(&text[b + 1..c]) < 3.5 {
        return None;
    }
    Some(Secret {
        range: TextRange::new(i, c),
        kind: "a JSON Web Token",
    })
}

/// A PEM private key block with a real body (not `...` or a placeholder).
fn pem_at(text: &str, i: usize, end: usize) -> Option<Secret> {
    let rest = &text[i..end];
    if !rest.starts_with(PEM) {
        return None;
    }
    let header_end = rest.get(11..)?.find("-----")? + 11;
    let label = &rest[11..header_end];
    if !label.ends_with("PRIVATE KEY") || label.len() > 40 {
        return None;
    }
    let body_start = header_end + 5;
    let footer = format!("-----END {label}-----");
    let body_len = rest[body_start..].find(&footer);
    let body_end = body_len.map_or(rest.len(), |n| body_start + n);
    let body: String = rest[body_start..body_end]
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .collect();
    if body.len() < 64 || is_placeholder(&rest[body_start..body_end]) || entropy(&body) < 4.5 {
        return None;
    }
    let stop = body_len.map_or(rest.len(), |_| body_end + footer.len());
    Some(Secret {
        range: TextRange::new(i, i + stop),
        kind: "a private key",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The scan's first filter: whether a secret may start with the bytes
    /// `b`, `next` (the first two bytes of a [`FORMATS`] prefix, of a JWT or
    /// of a PEM header).
    fn may_start(b: u8, next: Option<u8>) -> bool {
        matches!(
            (b, next),
            (b'A', Some(b'K' | b'S' | b'I'))
                | (b'g', Some(b'h' | b'i'))
                | (b'x', Some(b'o'))
                | (b's' | b'r', Some(b'k'))
                | (b'e', Some(b'y'))
                | (b'-', Some(b'-'))
        )
    }

    /// Every byte tested as a start: what [`scan`] finds by searching for the prefixes.
    fn scan_every_byte(text: &str, range: TextRange) -> Vec<Secret> {
        let mut out = Vec::new();
        let bytes = text.as_bytes();
        let end = range.end.min(text.len());
        let mut i = range.start;
        while i < end {
            let boundary = i == 0 || !is_word_byte(bytes[i - 1]);
            if !boundary || !may_start(bytes[i], bytes.get(i + 1).copied()) {
                i += 1;
                continue;
            }
            match token_at(text, i, end)
                .or_else(|| jwt_at(text, i, end))
                .or_else(|| pem_at(text, i, end))
            {
                Some(s) => {
                    i = s.range.end;
                    out.push(s);
                }
                None => i += 1,
            }
        }
        out
    }

    proptest! {
        #[test]
        fn searching_the_prefixes_finds_what_testing_every_byte_finds(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("ghp_"), Just("AKIA"), Just("sk-"), Just("sk-ant-"), Just("xoxb-"), Just("eyJ"),
                    Just("-----BEGIN RSA PRIVATE KEY-----"), Just("-----END RSA PRIVATE KEY-----"),
                    Just("9fK2mQ7xLp4Rz8Tb1Wv6Yc3Nh5Jd0Ga2Qe8Rt"), Just("Zq7Wm3Kx9Lp2"), Just("."),
                    Just(" "), Just("\n"), Just("_"), Just("-"), Just("é"), Just("a"), Just("s"), Just("k"),
                    Just("e"), Just("y"), Just("r"), Just("A"), Just("g"), Just("x"),
                ],
                0..30,
            ),
            skip in 0usize..3,
            cut in 0usize..3,
        ) {
            let text: String = parts.concat();
            // The range may end before the text does (a block of it).
            let range = crate::testing::inner_range(&text, skip, cut);
            prop_assert_eq!(scan(&text, range), scan_every_byte(&text, range));
        }
    }

    /// Each part's secrets found from the whole text's starts.
    fn from_whole_starts(text: &str, parts: &[TextRange]) -> Vec<Vec<Secret>> {
        let all = starts(text, TextRange::new(0, text.len()));
        parts
            .iter()
            .map(|p| {
                let first = all.partition_point(|&s| s < p.start);
                let last = all.partition_point(|&s| s < p.end);
                scan_from(text, *p, all[first..last].iter().copied())
            })
            .collect()
    }

    proptest! {
        /// The whole text's starts find in each part (cut at line starts)
        /// what a scan of the part alone finds.
        #[test]
        fn the_whole_texts_starts_find_what_each_parts_scan_finds(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("ghp_"), Just("AKIA"), Just("sk-"), Just("xoxb-"), Just("eyJ"),
                    Just("-----BEGIN RSA PRIVATE KEY-----"), Just("-----END RSA PRIVATE KEY-----"),
                    Just("9fK2mQ7xLp4Rz8Tb1Wv6Yc3Nh5Jd0Ga2Qe8Rt"), Just("Zq7Wm3Kx9Lp2"), Just("."),
                    Just(" "), Just("\n"), Just("\n"), Just("_"), Just("-"), Just("é"), Just("a"),
                ],
                0..30,
            ),
            cuts in proptest::collection::vec(any::<bool>(), 1..8),
        ) {
            let text: String = parts.concat();
            let blocks = crate::testing::cut_at_lines(&text, &cuts);
            let alone: Vec<Vec<Secret>> = blocks.iter().map(|b| scan(&text, *b)).collect();
            prop_assert_eq!(from_whole_starts(&text, &blocks), alone);
        }
    }

    /// The same on the blocks of every Markdown file of the corpus.
    #[test]
    fn the_whole_texts_starts_find_what_each_blocks_scan_finds_in_the_corpus() {
        for (path, doc) in crate::testing::corpus::markdown_docs().unwrap_or_default() {
            let alone: Vec<Vec<Secret>> = doc.blocks.iter().map(|b| scan(&doc.text, *b)).collect();
            assert_eq!(from_whole_starts(&doc.text, &doc.blocks), alone, "{}", path.display());
        }
    }

    #[test]
    fn no_prefix_holds_a_word_start() {
        // What lets the search skip matches' insides (see `scan`).
        for p in FORMATS.iter().map(|f| f.prefix).chain([JWT, PEM]) {
            let b = p.as_bytes();
            assert!(b[..b.len() - 1].iter().all(|&c| is_word_byte(c)), "{p}");
        }
    }

    #[test]
    fn the_two_byte_filter_admits_every_prefix() {
        let prefixes = FORMATS.iter().map(|f| f.prefix).chain([JWT, PEM]);
        for p in prefixes {
            let b = p.as_bytes();
            assert!(may_start(b[0], Some(b[1])), "{p}");
        }
        assert!(!may_start(b's', Some(b'e')) && !may_start(b'e', Some(b'x')) && !may_start(b'-', None));
    }

    fn kinds(text: &str) -> Vec<&'static str> {
        scan(text, TextRange::new(0, text.len()))
            .into_iter()
            .map(|s| s.kind)
            .collect()
    }

    #[test]
    fn finds_real_looking_keys() {
        assert_eq!(kinds("key AKIAZ7Q4PLK2M8XN3WVB here"), ["an AWS access key id"]);
        assert_eq!(
            kinds("`ghp_4f9Qa8ZkLm2Rt7Yx1Bc6Vn3Pw0Hs5Jd8Eg2K`"),
            ["a GitHub personal access token"]
        );
        assert_eq!(
            kinds("OPENAI_API_KEY=sk-9fK2mQ7xLp4Rz8Tb1Wv6Yc3Nh5Jd0Ga2"),
            ["an OpenAI API key"]
        );
        assert_eq!(kinds("AIzaSyD3f8Kq2Lm9Xp4Rt7Vb1Nc6Wz0Hj5Ys8Eq"), ["a Google API key"]);
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        assert_eq!(kinds(jwt), ["a JSON Web Token"]);
    }

    #[test]
    fn ignores_placeholders_and_words() {
        assert!(kinds("AKIAIOSFODNN7EXAMPLE").is_empty());
        assert!(kinds("export OPENAI_API_KEY=sk-... or sk-your-key-here or <your-token>").is_empty());
        assert!(kinds("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ${API_KEY}").is_empty());
        assert!(kinds("scikit-learn sk-learn-based-classifier-pipeline-model-v2").is_empty());
        assert!(kinds("-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----").is_empty());
    }

    #[test]
    fn finds_a_pem_private_key() {
        let body = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQAB";
        let text = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n");
        assert_eq!(kinds(&text), ["a private key"]);
    }
}
