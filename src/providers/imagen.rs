//! Image generation on the Gemini API with Imagen models
//! (ai.google.dev/gemini-api/docs/imagen): `POST …/models/{model}:predict` with
//! `{"instances": [{"prompt"}], "parameters": {"sampleCount", "aspectRatio"}}`,
//! answered with `predictions[i].bytesBase64Encoded`; returned as OpenAI's
//! images object with `b64_json` (Imagen returns no URLs).

use serde_json::{json, Map, Value};

use crate::error::{Error, Kind};

fn bad(message: impl Into<String>) -> Error {
    Error::new(Kind::BadRequest, message)
}

/// OpenAI `size` → Imagen `aspectRatio` (the ratios Imagen serves).
fn aspect_ratio(size: &str) -> Result<&'static str, Error> {
    Ok(match size {
        "1024x1024" | "512x512" | "256x256" => "1:1",
        "1792x1024" => "16:9",
        "1024x1792" => "9:16",
        "1536x1024" => "4:3",
        "1024x1536" => "3:4",
        other => {
            return Err(bad(format!(
                "size {other:?} has no Imagen aspect ratio; use 1024x1024, 1792x1024, 1024x1792, \
                 1536x1024 or 1024x1536"
            )))
        }
    })
}

/// The `:predict` body for an OpenAI images request.
pub fn request(req: &Map<String, Value>) -> Result<Value, Error> {
    let prompt = req
        .get("prompt")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("prompt must be a string"))?;
    let mut parameters = Map::new();
    if let Some(n) = req.get("n").filter(|n| !n.is_null()) {
        parameters.insert("sampleCount".into(), n.clone());
    }
    if let Some(size) = req.get("size").and_then(Value::as_str) {
        parameters.insert("aspectRatio".into(), json!(aspect_ratio(size)?));
    }
    Ok(json!({"instances": [{"prompt": prompt}], "parameters": parameters}))
}

/// OpenAI's images object for a `:predict` answer.
pub fn response(doc: &Value) -> Value {
    let data: Vec<Value> = doc
        .get("predictions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("bytesBase64Encoded"))
        .map(|b| json!({"b64_json": b}))
        .collect();
    let created = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    json!({"created": created, "data": data})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_and_response_shapes() {
        let Value::Object(req) =
            json!({"model": "imagen-4", "prompt": "fox", "n": 2, "size": "1792x1024"})
        else {
            unreachable!()
        };
        assert_eq!(
            request(&req).unwrap(),
            json!({"instances": [{"prompt": "fox"}], "parameters": {"sampleCount": 2, "aspectRatio": "16:9"}})
        );
        let Value::Object(odd) = json!({"prompt": "x", "size": "7x7"}) else {
            unreachable!()
        };
        assert_eq!(request(&odd).unwrap_err().kind, Kind::BadRequest);
        let out = response(
            &json!({"predictions": [{"bytesBase64Encoded": "QUJD", "mimeType": "image/png"}]}),
        );
        assert_eq!(out["data"], json!([{"b64_json": "QUJD"}]));
    }
}
