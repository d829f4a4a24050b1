//! Bedrock embeddings through InvokeModel, as litellm's `BedrockEmbedding`
//! (`embed/embedding.py`) sends them: Titan text (`amazon.titan-embed-text-v1`,
//! `-v2:0`, `amazon.titan-embed-g1-text-02`) one input per request as
//! `{"inputText"}` (v2 also `dimensions`, `normalize`); Cohere
//! (`cohere.embed-*`) every input in one `{"texts", "input_type"}` request
//! (default `search_document`, litellm's `COHERE_DEFAULT_EMBEDDING_INPUT_TYPE`).

use serde_json::{json, Map, Value};

use super::{bad, base_model};
use crate::error::{Error, Kind};

/// The embedding family of `id`.
enum Family {
    Titan { v2: bool },
    Cohere,
}

fn family(id: &str) -> Result<Family, Error> {
    let base = base_model(id);
    match base {
        "amazon.titan-embed-text-v1" | "amazon.titan-embed-g1-text-02" => {
            Ok(Family::Titan { v2: false })
        }
        b if b.starts_with("amazon.titan-embed-text-v2") => Ok(Family::Titan { v2: true }),
        b if b.starts_with("cohere.embed") => Ok(Family::Cohere),
        _ => Err(bad(format!(
            "bedrock embeddings are served for amazon.titan-embed-text-v1/v2 and cohere.embed-* \
             models, not {id:?}"
        ))),
    }
}

/// How many inputs one request to `id` carries (None: all).
pub fn batch_size(id: &str) -> Option<usize> {
    match family(id) {
        Ok(Family::Cohere) => None,
        _ => Some(1),
    }
}

/// The texts of an OpenAI embeddings body.
fn texts(req: &Map<String, Value>) -> Result<Vec<&str>, Error> {
    match req.get("input") {
        Some(Value::String(s)) => Ok(vec![s]),
        Some(Value::Array(a)) if !a.is_empty() => a
            .iter()
            .map(|t| {
                t.as_str()
                    .ok_or_else(|| bad("bedrock embeddings take text inputs, not token lists"))
            })
            .collect(),
        _ => Err(bad("input must be a string or a list of strings")),
    }
}

/// The InvokeModel body embedding `req`'s input (one text for Titan) with model `id`.
pub fn build(req: &Map<String, Value>, id: &str) -> Result<Value, Error> {
    let texts = texts(req)?;
    Ok(match family(id)? {
        Family::Titan { v2 } => {
            let [text] = texts[..] else {
                return Err(bad("Titan embeds one text per request"));
            };
            let mut out = json!({ "inputText": text });
            if v2 {
                for k in ["dimensions", "normalize"] {
                    if let Some(v) = req.get(k).filter(|v| !v.is_null()) {
                        out[k] = v.clone();
                    }
                }
            }
            out
        }
        Family::Cohere => {
            let mut out = json!({
                "texts": texts,
                "input_type": req.get("input_type").cloned().unwrap_or_else(|| json!("search_document")),
            });
            for k in ["truncate", "embedding_types"] {
                if let Some(v) = req.get(k).filter(|v| !v.is_null()) {
                    out[k] = v.clone();
                }
            }
            if let Some(d) = req.get("dimensions").filter(|v| !v.is_null()) {
                out["output_dimension"] = d.clone();
            }
            out
        }
    })
}

/// A Titan or Cohere answer → an OpenAI embeddings response for `id`.
pub fn response(v: &Value, id: &str) -> Result<Value, Error> {
    let missing = || Error::new(Kind::Api, "the provider returned no embedding");
    let (vectors, tokens) = match family(id)? {
        Family::Titan { .. } => {
            let e = v
                .get("embedding")
                .filter(|e| e.is_array())
                .ok_or_else(missing)?;
            let n = v
                .get("inputTextTokenCount")
                .and_then(Value::as_u64)
                .unwrap_or(0);
            (vec![e.clone()], n)
        }
        Family::Cohere => {
            let list = match v.get("embeddings") {
                Some(Value::Array(a)) => a.clone(),
                // `embedding_types` answers `{"embeddings": {"float": [...]}}`.
                Some(Value::Object(by_type)) => by_type
                    .get("float")
                    .or_else(|| by_type.values().next())
                    .and_then(Value::as_array)
                    .cloned()
                    .ok_or_else(missing)?,
                _ => return Err(missing()),
            };
            let n = v
                .pointer("/meta/billed_units/input_tokens")
                .and_then(Value::as_u64)
                .unwrap_or(0);
            (list, n)
        }
    };
    let data: Vec<Value> = vectors
        .into_iter()
        .enumerate()
        .map(|(i, e)| json!({ "object": "embedding", "index": i, "embedding": e }))
        .collect();
    Ok(json!({
        "object": "list",
        "data": data,
        "model": id,
        "usage": { "prompt_tokens": tokens, "total_tokens": tokens },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn titan_and_cohere_bodies_and_answers() {
        let r = req(json!({"input": ["hello"], "dimensions": 256}));
        assert_eq!(
            build(&r, "amazon.titan-embed-text-v2:0").unwrap(),
            json!({"inputText": "hello", "dimensions": 256})
        );
        assert_eq!(
            build(&r, "amazon.titan-embed-text-v1").unwrap(),
            json!({"inputText": "hello"})
        );
        assert_eq!(
            build(&r, "cohere.embed-english-v3").unwrap(),
            json!({"texts": ["hello"], "input_type": "search_document", "output_dimension": 256})
        );
        assert!(build(&r, "amazon.nova-lite-v1:0").is_err());
        let two = req(json!({"input": ["a", "b"]}));
        assert_eq!(
            build(&two, "cohere.embed-english-v3").unwrap()["texts"],
            json!(["a", "b"])
        );
        assert!(build(&two, "amazon.titan-embed-text-v1").is_err());
        assert_eq!(batch_size("cohere.embed-multilingual-v3"), None);
        assert_eq!(batch_size("amazon.titan-embed-text-v2:0"), Some(1));
        let t = response(
            &json!({"embedding": [0.1, 0.2], "inputTextTokenCount": 3}),
            "amazon.titan-embed-text-v2:0",
        )
        .unwrap();
        assert_eq!(t["data"][0]["embedding"], json!([0.1, 0.2]));
        assert_eq!(t["usage"]["prompt_tokens"], 3);
        let c = response(
            &json!({"id": "x", "embeddings": [[0.5]], "texts": ["hello"], "response_type": "embeddings_floats"}),
            "cohere.embed-english-v3",
        )
        .unwrap();
        assert_eq!(c["data"][0]["embedding"], json!([0.5]));
    }
}
