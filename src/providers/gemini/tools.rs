//! Tools, `tool_choice` and JSON Schemas reduced to Gemini's subset.

use super::*;

/// `tools` / `functions` as `functionDeclarations`; Gemini's own tools
/// (`googleSearch`, `codeExecution`, `urlContext`, ...) pass through, and
/// `web_search_options` becomes `googleSearch`, as litellm does.
pub(super) fn tools(req: &Map<String, Value>) -> Result<Vec<Value>, Error> {
    let mut declarations = Vec::new();
    let mut native = Vec::new();
    for (j, tool) in req
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(function) = tool.get("function") {
            declarations.push(declaration(function)?);
        } else {
            let mut own = tool.as_object().cloned().unwrap_or_default();
            own.remove("type");
            if own.is_empty() {
                return Err(bad(format!(
                    "tools[{j}] is neither a function nor one of Gemini's own tools"
                )));
            }
            native.push(Value::Object(own));
        }
    }
    for function in req
        .get("functions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        declarations.push(declaration(function)?);
    }
    if present(req, "web_search_options").is_some() {
        native.push(json!({"googleSearch": {}}));
    }
    let mut out = Vec::with_capacity(native.len() + 1);
    if !declarations.is_empty() {
        out.push(json!({"functionDeclarations": declarations}));
    }
    out.extend(native);
    Ok(out)
}

pub(super) fn declaration(function: &Value) -> Result<Value, Error> {
    let name = str_of(function, "name");
    if name.is_empty() {
        return Err(bad("every tool function needs a name"));
    }
    let mut out = json!({"name": name});
    if let Some(d) = function.get("description").filter(|d| d.is_string()) {
        out["description"] = d.clone();
    }
    if let Some(params) = function.get("parameters").filter(|p| p.is_object()) {
        let schema = gemini_schema(params, false)?;
        // Gemini refuses an OBJECT without properties; a function taking no
        // arguments is declared without parameters.
        let empty_object = schema.get("type").and_then(Value::as_str) == Some("object")
            && schema
                .get("properties")
                .and_then(Value::as_object)
                .map_or(true, Map::is_empty);
        if !empty_object {
            out["parameters"] = schema;
        }
    }
    Ok(out)
}

/// Reduce a JSON Schema to Gemini's OpenAPI subset, as litellm's
/// `_build_vertex_schema` does: `$ref`s into `$defs` / `definitions` are
/// inlined, `anyOf` alternatives of type null become `nullable`, a type list
/// with `null` becomes `nullable`, unknown keywords (`additionalProperties`,
/// `$schema`, `strict`, ...) are dropped, `format` is kept only for `enum` and
/// `date-time`, and `properties` implies `type: object`. With `ordering`
/// (response schemas) `propertyOrdering` records the properties' order.
pub(super) fn gemini_schema(schema: &Value, ordering: bool) -> Result<Value, Error> {
    let empty = Map::new();
    let defs = schema
        .get("$defs")
        .or_else(|| schema.get("definitions"))
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    reduce_schema(schema, defs, ordering, 0)
}

pub(super) fn reduce_schema(
    schema: &Value,
    defs: &Map<String, Value>,
    ordering: bool,
    depth: usize,
) -> Result<Value, Error> {
    if depth > MAX_SCHEMA_DEPTH {
        return Err(bad(
            "a tool or response schema nests too deeply (or refers to itself), which Gemini's schema subset cannot express",
        ));
    }
    let Some(obj) = schema.as_object() else {
        return Ok(schema.clone());
    };
    if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        let mut merged = defs
            .get(name)
            .and_then(Value::as_object)
            .cloned()
            .ok_or_else(|| bad(format!("schema $ref {reference:?} names no $defs entry")))?;
        merged.extend(
            obj.iter()
                .filter(|(k, _)| k.as_str() != "$ref")
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        return reduce_schema(&Value::Object(merged), defs, ordering, depth + 1);
    }
    if let Some(alternatives) = obj
        .get("anyOf")
        .or_else(|| obj.get("oneOf"))
        .and_then(Value::as_array)
    {
        return any_of(obj, alternatives, defs, ordering, depth);
    }
    let mut out = Map::new();
    for (key, value) in obj {
        match key.as_str() {
            "type" => match value {
                Value::Array(types) => {
                    let named: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                    let kept: Vec<&str> = named.iter().copied().filter(|t| *t != "null").collect();
                    if kept.len() != 1 {
                        let alternatives: Vec<Value> =
                            named.iter().map(|t| json!({"type": t})).collect();
                        let mut rest = obj.clone();
                        rest.remove("type");
                        return any_of(&rest, &alternatives, defs, ordering, depth);
                    }
                    out.insert("type".into(), kept[0].into());
                    if kept.len() < named.len() {
                        out.insert("nullable".into(), true.into());
                    }
                }
                other => {
                    out.insert("type".into(), other.clone());
                }
            },
            "properties" => {
                let mut props = Map::new();
                for (name, prop) in value.as_object().into_iter().flatten() {
                    props.insert(
                        name.clone(),
                        reduce_schema(prop, defs, ordering, depth + 1)?,
                    );
                }
                out.insert(key.clone(), Value::Object(props));
            }
            "items" => {
                let items = match value.as_object() {
                    Some(o) if o.is_empty() => json!({"type": "object"}),
                    _ => reduce_schema(value, defs, ordering, depth + 1)?,
                };
                out.insert(key.clone(), items);
            }
            "format" => {
                if matches!(value.as_str(), Some("enum" | "date-time")) {
                    out.insert(key.clone(), value.clone());
                }
            }
            "required" if value.is_null() => {}
            k if SCHEMA_KEYWORDS.contains(&k) => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    if let Some(names) = out.get("properties").and_then(Value::as_object) {
        let names: Vec<Value> = names.keys().map(|k| Value::String(k.clone())).collect();
        out.insert("type".into(), "object".into());
        if ordering && !out.contains_key("propertyOrdering") {
            out.insert("propertyOrdering".into(), Value::Array(names));
        }
    }
    Ok(Value::Object(out))
}

/// `anyOf` (or `oneOf`): null alternatives are removed and the others marked
/// `nullable`; only `anyOf` is kept, the parent's title and description
/// copied into each alternative (litellm's `convert_anyof_null_to_nullable`
/// and `_filter_anyof_fields`).
pub(super) fn any_of(
    parent: &Map<String, Value>,
    alternatives: &[Value],
    defs: &Map<String, Value>,
    ordering: bool,
    depth: usize,
) -> Result<Value, Error> {
    let is_null = |a: &Value| a.get("type").and_then(Value::as_str) == Some("null");
    let nullable = alternatives.iter().any(is_null);
    let mut kept = Vec::with_capacity(alternatives.len());
    for alternative in alternatives.iter().filter(|a| !is_null(a)) {
        let mut reduced = match alternative.as_object() {
            Some(o) if o.is_empty() => json!({"type": "object"}),
            _ => reduce_schema(alternative, defs, ordering, depth + 1)?,
        };
        if let Some(obj) = reduced.as_object_mut() {
            if nullable {
                obj.insert("nullable".into(), true.into());
            }
            for key in ["title", "description"] {
                if let Some(v) = parent.get(key) {
                    obj.insert(key.into(), v.clone());
                }
            }
        }
        kept.push(reduced);
    }
    if kept.is_empty() {
        return Err(bad(
            "a schema anyOf holds only the null type, which Gemini cannot express",
        ));
    }
    Ok(json!({"anyOf": kept}))
}

/// `tool_choice` as `toolConfig.functionCallingConfig` (litellm's
/// `map_tool_choice_values`).
pub(super) fn tool_config(choice: &Value) -> Result<Value, Error> {
    let config = match choice {
        Value::String(s) => match s.as_str() {
            "auto" => json!({"mode": "AUTO"}),
            "required" => json!({"mode": "ANY"}),
            "none" => json!({"mode": "NONE"}),
            other => {
                return Err(bad(format!(
                    "Gemini does not support tool_choice={other:?}; use \"auto\", \"required\", \"none\" or a function"
                )))
            }
        },
        Value::Object(_) => {
            let name = choice
                .pointer("/function/name")
                .and_then(Value::as_str)
                .filter(|n| !n.is_empty())
                .ok_or_else(|| bad("tool_choice must name a function: {\"type\": \"function\", \"function\": {\"name\": ...}}"))?;
            json!({"mode": "ANY", "allowedFunctionNames": [name]})
        }
        _ => return Err(bad("tool_choice must be a string or an object")),
    };
    Ok(json!({"functionCallingConfig": config}))
}
