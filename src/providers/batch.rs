//! Splitting an embeddings request whose `input` list is longer than a
//! provider accepts into several requests, and merging their OpenAI-shaped
//! answers into one, as if a single request had been made: `data[i].index`
//! counts across the batches in input order, `usage` is summed.

use serde_json::{Map, Value};

use crate::error::{Error, Kind};

/// The bodies to send for an OpenAI embeddings request `body` when at most
/// `size` inputs fit in one request; `None` when it fits as is. A list of
/// token ids (numbers) is one input and is never split.
pub fn split(body: &[u8], size: usize) -> Result<Option<Vec<Vec<u8>>>, Error> {
    let size = size.max(1);
    let mut req: Map<String, Value> = serde_json::from_slice(body).map_err(|e| {
        Error::new(
            Kind::BadRequest,
            format!("the request body is not a JSON object ({e})"),
        )
    })?;
    let inputs = match req.get_mut("input") {
        Some(Value::Array(items)) if items.len() > size && !items.iter().all(Value::is_number) => {
            std::mem::take(items)
        }
        _ => return Ok(None),
    };
    let mut bodies = Vec::with_capacity(inputs.len().div_ceil(size));
    for part in inputs.chunks(size) {
        req.insert("input".to_owned(), Value::Array(part.to_vec()));
        bodies.push(
            serde_json::to_vec(&req).map_err(|e| Error::new(Kind::BadRequest, e.to_string()))?,
        );
    }
    Ok(Some(bodies))
}

/// One OpenAI embeddings response from the answers to [`split`]'s bodies, in order.
pub fn merge(parts: Vec<Vec<u8>>) -> Result<Vec<u8>, Error> {
    let bad = |e: serde_json::Error| {
        Error::new(
            Kind::Api,
            format!("the provider returned an embeddings body that is not valid JSON ({e})"),
        )
    };
    let mut merged: Option<Map<String, Value>> = None;
    let mut data = Vec::new();
    let (mut prompt, mut total) = (0u64, 0u64);
    for part in parts {
        let mut doc: Map<String, Value> = serde_json::from_slice(&part).map_err(bad)?;
        let Some(Value::Array(items)) = doc.remove("data") else {
            return Err(Error::new(
                Kind::Api,
                "the provider returned an embeddings body without a data list",
            ));
        };
        let offset = data.len();
        let mut items = items;
        items.sort_by_key(|d| d.get("index").and_then(Value::as_u64).unwrap_or(0));
        for (i, mut item) in items.into_iter().enumerate() {
            if let Some(m) = item.as_object_mut() {
                m.insert("index".to_owned(), Value::from(offset + i));
            }
            data.push(item);
        }
        if let Some(usage) = doc.get("usage") {
            let n = |k: &str| usage.get(k).and_then(Value::as_u64).unwrap_or(0);
            prompt += n("prompt_tokens");
            total += n("total_tokens");
        }
        merged.get_or_insert(doc);
    }
    let mut out = merged.unwrap_or_default();
    out.insert("data".to_owned(), Value::Array(data));
    let mut usage = Map::new();
    usage.insert("prompt_tokens".to_owned(), Value::from(prompt));
    usage.insert("total_tokens".to_owned(), Value::from(total));
    out.insert("usage".to_owned(), Value::Object(usage));
    serde_json::to_vec(&out).map_err(|e| Error::new(Kind::Api, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn splits_long_lists_only() {
        let body = serde_json::to_vec(
            &json!({"model": "mistral-embed", "input": ["a", "b", "c", "d", "e"]}),
        )
        .unwrap();
        let parts = split(&body, 2).unwrap().unwrap();
        let inputs: Vec<Value> = parts
            .iter()
            .map(|p| serde_json::from_slice::<Value>(p).unwrap())
            .collect();
        assert_eq!(
            inputs[0],
            json!({"model": "mistral-embed", "input": ["a", "b"]})
        );
        assert_eq!(inputs[2], json!({"model": "mistral-embed", "input": ["e"]}));
        assert_eq!(inputs.len(), 3);
        assert!(split(&body, 5).unwrap().is_none());
        let single = br#"{"model":"m","input":"one"}"#;
        assert!(split(single, 1).unwrap().is_none());
        let tokens = br#"{"model":"m","input":[1,2,3]}"#;
        assert!(split(tokens, 1).unwrap().is_none());
        assert_eq!(split(b"[", 1).unwrap_err().kind, Kind::BadRequest);
    }

    #[test]
    fn merges_in_order_with_summed_usage() {
        let a = json!({"object": "list", "model": "mistral-embed", "id": "e1",
            "data": [{"object": "embedding", "index": 1, "embedding": [0.2]},
                     {"object": "embedding", "index": 0, "embedding": [0.1]}],
            "usage": {"prompt_tokens": 3, "total_tokens": 3}});
        let b = json!({"object": "list", "model": "mistral-embed", "id": "e2",
            "data": [{"object": "embedding", "index": 0, "embedding": [0.3]}],
            "usage": {"prompt_tokens": 2, "total_tokens": 2}});
        let out = merge(vec![
            serde_json::to_vec(&a).unwrap(),
            serde_json::to_vec(&b).unwrap(),
        ])
        .unwrap();
        let out: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            out["data"],
            json!([{"object": "embedding", "index": 0, "embedding": [0.1]},
                   {"object": "embedding", "index": 1, "embedding": [0.2]},
                   {"object": "embedding", "index": 2, "embedding": [0.3]}])
        );
        assert_eq!(out["usage"], json!({"prompt_tokens": 5, "total_tokens": 5}));
        assert_eq!(
            (out["model"].clone(), out["id"].clone()),
            (json!("mistral-embed"), json!("e1"))
        );
        assert_eq!(merge(vec![b"{}".to_vec()]).unwrap_err().kind, Kind::Api);
    }
}
