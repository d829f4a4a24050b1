//! Bedrock embeddings through InvokeModel, as litellm's `BedrockEmbedding`
//! (`embed/embedding.py`) sends them, one input per request: Titan text
//! (`amazon.titan-embed-text-v1`, `-v2:0`, `amazon.titan-embed-g1-text-02`)
//! takes `{"inputText"}` (v2 also `dimensions`, `normalize`), Cohere
//! (`cohere.embed-*`) takes `{"texts", "input_type"}` (default
//! `search_document`, litellm's `COHERE_DEFAULT_EMBEDDING_INPUT_TYPE`).

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

/// The one text of an (already split) OpenAI embeddings body.
fn one_text(req: &Map<String, Value>) -> Result<&str, Error> {
    match req.get("input") {
        Some(Value::String(s)) => Ok(s),
        Some(Value::Array(a)) if a.len() == 1 => a[0]
            .as_str()
            .ok_or_else(|| bad("bedrock embeddings take text inputs, not token lists")),
        _ => Err(bad("input must be a string or a list of strings")),
    }
}

/// The InvokeModel body embedding `req`'s one input with model `id`.
pub fn build(req: &Map<String, Value>, id: &str) -> Result<Value, Error> {
    let text = one_text(req)?;
    Ok(match family(id)? {
        Family::Titan { v2 } => {
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
                "texts": [text],
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
