//! tiktoken's byte-pair encodings (o200k_base, cl100k_base) for `token_counter`,
//! `encode` and `decode`, through the `tiktoken-rs` crate.
//!
//! The ranks are not compiled in: Python reads them from the package data on
//! first use (tokens in rank order, each prefixed by its length in one byte)
//! and hands them over once per encoding.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rustc_hash::FxHashMap;
use tiktoken_rs::{CoreBPE, Rank};

/// tiktoken's cl100k_base split pattern (openai/tiktoken, `tiktoken_ext/openai_public.py`).
const CL100K_BASE_PAT_STR: &str = r"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s";

/// litellm counts long texts in slices of this many characters
/// (`TIKTOKEN_ENCODE_CHUNK_SIZE_CHARS`), which can split a token at a slice edge.
const COUNT_CHUNK_CHARS: usize = 1024;

/// The split pattern and special tokens of a named encoding.
fn encoding(name: &str) -> Option<(&'static str, &'static [(&'static str, Rank)])> {
    match name {
        "o200k_base" => Some((
            tiktoken_rs::O200K_BASE_PAT_STR,
            &[("<|endoftext|>", 199_999), ("<|endofprompt|>", 200_018)],
        )),
        "cl100k_base" => Some((
            CL100K_BASE_PAT_STR,
            &[
                ("<|endoftext|>", 100_257),
                ("<|fim_prefix|>", 100_258),
                ("<|fim_middle|>", 100_259),
                ("<|fim_suffix|>", 100_260),
                ("<|endofprompt|>", 100_276),
            ],
        )),
        _ => None,
    }
}

/// Parse length-prefixed tokens in rank order.
fn ranks(data: &[u8]) -> Result<FxHashMap<Vec<u8>, Rank>, String> {
    let mut encoder = FxHashMap::default();
    let mut at = 0usize;
    while at < data.len() {
        let len = usize::from(data[at]);
        let token = data
            .get(at + 1..at + 1 + len)
            .ok_or_else(|| format!("truncated rank data at byte {at}"))?;
        let rank = Rank::try_from(encoder.len()).map_err(|_| "too many ranks".to_owned())?;
        encoder.insert(token.to_vec(), rank);
        at += 1 + len;
    }
    Ok(encoder)
}

/// One loaded encoding.
#[pyclass(frozen, module = "edgequake_litellm._elc_core")]
pub struct Tokenizer {
    bpe: CoreBPE,
}

#[pymethods]
impl Tokenizer {
    /// Build encoding `name` ("o200k_base" or "cl100k_base") from its rank data.
    #[new]
    fn new(py: Python<'_>, name: &str, data: &[u8]) -> PyResult<Self> {
        let (pattern, specials) = encoding(name)
            .ok_or_else(|| PyValueError::new_err(format!("unknown encoding {name:?}")))?;
        let data = data.to_vec();
        py.detach(move || {
            let encoder = ranks(&data).map_err(PyValueError::new_err)?;
            let specials = specials
                .iter()
                .map(|(s, r)| ((*s).to_owned(), *r))
                .collect();
            CoreBPE::new(encoder, specials, pattern)
                .map(|bpe| Tokenizer { bpe })
                .map_err(|e| PyValueError::new_err(e.to_string()))
        })
    }

    /// Token ids of `text`; special-token text is encoded as plain text.
    fn encode(&self, py: Python<'_>, text: &str) -> Vec<Rank> {
        py.detach(|| self.bpe.encode_ordinary(text))
    }

    /// The number of tokens of `text`, counted in slices of 1024 characters as litellm counts.
    fn count(&self, py: Python<'_>, text: &str) -> usize {
        py.detach(|| {
            let mut total = 0;
            let mut start = 0;
            let mut chars = 0;
            for (i, _) in text.char_indices() {
                if chars == COUNT_CHUNK_CHARS {
                    total += self.bpe.encode_ordinary(&text[start..i]).len();
                    start = i;
                    chars = 0;
                }
                chars += 1;
            }
            total + self.bpe.encode_ordinary(&text[start..]).len()
        })
    }

    /// The text of token ids `tokens` (invalid UTF-8 is replaced, as tiktoken's `decode`).
    fn decode(&self, py: Python<'_>, tokens: Vec<Rank>) -> PyResult<String> {
        py.detach(|| {
            let bytes = self
                .bpe
                .decode_bytes(&tokens)
                .map_err(|e| PyValueError::new_err(format!("unknown token id {}", e.token)))?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_data_round_trips_and_rejects_truncation() {
        let data = [1, b'a', 2, b'a', b'b'];
        let enc = ranks(&data).unwrap();
        assert_eq!(enc[&b"a".to_vec()], 0);
        assert_eq!(enc[&b"ab".to_vec()], 1);
        assert!(ranks(&[3, b'a']).is_err());
    }

    #[test]
    fn known_encodings_only() {
        assert!(encoding("o200k_base").is_some());
        assert!(encoding("cl100k_base").is_some());
        assert!(encoding("p50k_base").is_none());
    }
}
